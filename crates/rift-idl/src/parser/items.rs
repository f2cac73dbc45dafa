//! Headers, definitions, fields and functions.

use super::{PResult, Parser, Reported};
use crate::ast::{
    Const, Definition, DefinitionKind, Enum, EnumValue, Field, Function, Header, Ident, Requiredness,
    Service, Struct, StructKind, Typedef,
};
use crate::diagnostic::Diagnostic;
use crate::lexer::{Keyword, TokenKind};
use crate::span::Span;

impl Parser<'_> {
    /// The whole file: headers, then definitions.
    pub(super) fn items(&mut self) -> (Vec<Header>, Vec<Definition>) {
        let mut headers = Vec::new();
        let mut definitions: Vec<Definition> = Vec::new();
        loop {
            match self.tok.kind {
                TokenKind::Eof => break,
                TokenKind::Keyword(Keyword::Include | Keyword::CppInclude | Keyword::Namespace)
                | TokenKind::LegacyNamespace(_) => {
                    if let Some(first) = definitions.first() {
                        let keyword = self.text(self.tok.span).to_string();
                        self.diagnostics.push(
                            Diagnostic::error(
                                "header-after-definition",
                                format!("`{keyword}` must come before all definitions"),
                                self.tok.span,
                            )
                            .with_label("header after a definition")
                            .with_secondary(first.span, "first definition is here")
                            .with_help(format!("move the `{keyword}` line above the first definition")),
                        );
                    }
                    self.drop_docs();
                    let start_line = self.tok.line;
                    match self.header() {
                        Ok(header) => headers.push(header),
                        Err(Reported) => self.recover_item(start_line),
                    }
                }
                _ => {
                    let start_line = self.tok.line;
                    match self.definition() {
                        Ok(Some(definition)) => definitions.push(definition),
                        Ok(None) => {}
                        Err(Reported) => self.recover_item(start_line),
                    }
                }
            }
        }
        (headers, definitions)
    }

    /// After an error at top level: skips to the next header or definition keyword
    /// outside brackets. A keyword where the error was found, on the line where the broken
    /// item began (`struct service {`), is skipped too.
    fn recover_item(&mut self, start_line: u32) {
        let error_at = self.tok.span.start;
        let mut depth = 0usize;
        loop {
            match self.tok.kind {
                TokenKind::Eof => return,
                TokenKind::LBrace | TokenKind::LParen | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RParen | TokenKind::RBracket => {
                    depth = depth.saturating_sub(1)
                }
                _ if depth == 0 && self.at_item_start() => {
                    let same_place = self.tok.span.start == error_at && self.tok.line == start_line;
                    if !same_place {
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn header(&mut self) -> PResult<Header> {
        let start = self.tok.span;
        match self.tok.kind {
            TokenKind::Keyword(Keyword::Include) => {
                self.bump();
                let path = self.literal("a file name in quotes")?;
                Ok(Header::Include { path, span: self.span_from(start) })
            }
            TokenKind::Keyword(Keyword::CppInclude) => {
                self.bump();
                let path = self.literal("a file name in quotes")?;
                Ok(Header::CppInclude { path, span: self.span_from(start) })
            }
            TokenKind::LegacyNamespace(legacy) => {
                self.bump();
                let name = if self.at(TokenKind::Ident) {
                    self.text(self.tok.span).to_string()
                } else {
                    "name".into()
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "legacy-namespace",
                        format!("`{}` is no longer supported", legacy.keyword),
                        start,
                    )
                    .with_label("removed from Thrift")
                    .with_help(format!("write `namespace {} {name}`", legacy.scope)),
                );
                if self.at(TokenKind::Ident) {
                    self.bump();
                }
                Err(Reported)
            }
            _ => {
                self.bump();
                let scope = if let Some(star) = self.eat(TokenKind::Star) {
                    Ident { name: "*".into(), span: star }
                } else {
                    self.ident("a language name (such as `py`, `java` or `*`)")?
                };
                let name = self.ident("a namespace name")?;
                let annotations = if scope.name == "*" { Vec::new() } else { self.annotations()? };
                Ok(Header::Namespace { scope, name, annotations, span: self.span_from(start) })
            }
        }
    }

    /// One definition, or `None` after a stray separator that was reported and skipped.
    fn definition(&mut self) -> PResult<Option<Definition>> {
        let doc = self.take_doc();
        let start = self.tok.span;
        let kind = match self.tok.kind {
            TokenKind::Keyword(Keyword::Const) => DefinitionKind::Const(self.const_def()?),
            TokenKind::Keyword(Keyword::Typedef) => DefinitionKind::Typedef(self.typedef()?),
            TokenKind::Keyword(Keyword::Enum) => DefinitionKind::Enum(self.enum_def()?),
            TokenKind::Keyword(Keyword::Struct) => {
                DefinitionKind::Struct(self.struct_def(StructKind::Struct)?)
            }
            TokenKind::Keyword(Keyword::Union) => DefinitionKind::Struct(self.struct_def(StructKind::Union)?),
            TokenKind::Keyword(Keyword::Exception) => {
                DefinitionKind::Struct(self.struct_def(StructKind::Exception)?)
            }
            TokenKind::Keyword(Keyword::Service) => DefinitionKind::Service(self.service()?),
            TokenKind::Comma | TokenKind::Semi => {
                let sep = self.text(self.tok.span).to_string();
                self.diagnostics.push(
                    Diagnostic::error(
                        "stray-separator",
                        format!("unexpected `{sep}` between definitions"),
                        start,
                    )
                    .with_label("not allowed here")
                    .with_note(
                        "a `,` or `;` may follow a field, function, enum value, constant or typedef, \
                             but not the `}` of a struct, union, exception, enum or service",
                    )
                    .with_help(format!("remove the `{sep}`")),
                );
                self.bump();
                return Ok(None);
            }
            TokenKind::Ident if matches!(self.text(start), "senum" | "slist") => {
                let word = self.text(start);
                let help = if word == "senum" {
                    "use an `enum`, or `typedef string Name` for free-form strings"
                } else {
                    "use `string` instead"
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "removed-syntax",
                        format!("`{word}` is no longer part of Thrift"),
                        start,
                    )
                    .with_label("removed from the language")
                    .with_help(help),
                );
                return Err(Reported);
            }
            _ => {
                return Err(self.error_expected(
                    "a definition (`struct`, `union`, `exception`, `enum`, `const`, `typedef` or `service`)",
                ));
            }
        };
        let span = self.span_from(start);
        Ok(Some(Definition { doc, kind, span, follow: self.follow_span() }))
    }

    fn const_def(&mut self) -> PResult<Const> {
        self.bump();
        let ty = self.ty()?;
        let name = self.ident("the constant's name")?;
        self.expect(TokenKind::Eq, "`=`")?;
        let value = self.const_value()?;
        self.eat_separator();
        Ok(Const { name, ty, value })
    }

    fn typedef(&mut self) -> PResult<Typedef> {
        self.bump();
        let ty = self.ty()?;
        let name = self.ident("the typedef's name")?;
        let annotations = self.annotations()?;
        self.eat_separator();
        Ok(Typedef { name, ty, annotations })
    }

    fn enum_def(&mut self) -> PResult<Enum> {
        self.bump();
        let name = self.ident("the enum's name")?;
        self.expect(TokenKind::LBrace, "`{`")?;
        let mut values = Vec::new();
        while !self.at(TokenKind::RBrace) {
            if self.at(TokenKind::Eof) || (self.at_item_start() && self.tok.first_on_line) {
                return Err(self.error_expected("`}`"));
            }
            let start = (self.tok.span.start, self.tok.line);
            match self.enum_value() {
                Ok(value) => values.push(value),
                Err(Reported) => {
                    let error_at = self.tok.span.start;
                    if !self.recover_in_list(start, error_at) && !self.at(TokenKind::RBrace) {
                        return Err(Reported);
                    }
                }
            }
        }
        self.bump();
        let annotations = self.annotations()?;
        Ok(Enum { name, values, annotations })
    }

    fn enum_value(&mut self) -> PResult<EnumValue> {
        let doc = self.take_doc();
        let start = self.tok.span;
        let name = self.ident("an enum value name")?;
        let value = if self.eat(TokenKind::Eq).is_some() { Some(self.int("an integer")?) } else { None };
        let annotations = self.annotations()?;
        let span = self.span_from(start);
        self.eat_separator();
        Ok(EnumValue { doc, name, value, annotations, span })
    }

    fn struct_def(&mut self, kind: StructKind) -> PResult<Struct> {
        self.bump();
        let what = match kind {
            StructKind::Struct => "the struct's name",
            StructKind::Union => "the union's name",
            StructKind::Exception => "the exception's name",
        };
        let name = self.ident(what)?;
        let xsd_all = kind != StructKind::Exception && self.eat_keyword(Keyword::XsdAll).is_some();
        let open = self.expect(TokenKind::LBrace, "`{`")?;
        let fields = self.field_list(open, TokenKind::RBrace)?;
        self.bump();
        let annotations = self.annotations()?;
        Ok(Struct { kind, name, xsd_all, fields, annotations })
    }

    /// Fields up to (not including) `close`, which is `}` or `)`.
    pub(super) fn field_list(&mut self, open_span: Span, close: TokenKind) -> PResult<Vec<Field>> {
        self.enter()?;
        let result = self.field_list_inner(open_span, close);
        self.leave();
        result
    }

    fn field_list_inner(&mut self, open_span: Span, close: TokenKind) -> PResult<Vec<Field>> {
        let closer = if close == TokenKind::RBrace { "`}`" } else { "`)`" };
        let mut fields = Vec::new();
        while !self.at(close) {
            let unclosed = self.at(TokenKind::Eof)
                || (self.at_item_start() && self.tok.first_on_line)
                || (close == TokenKind::RParen
                    && (self.at(TokenKind::RBrace)
                        || matches!(
                            self.tok.kind,
                            TokenKind::Keyword(Keyword::Void | Keyword::Oneway | Keyword::Async)
                        )));
            if unclosed {
                let before = self.diagnostics.len();
                let r = self.error_expected(closer);
                if let Some(d) = self.diagnostics.get_mut(before) {
                    let open = if close == TokenKind::RBrace { "`{`" } else { "`(`" };
                    d.labels.push(crate::Label {
                        span: open_span,
                        message: format!("this {open} is not closed"),
                    });
                }
                return Err(r);
            }
            let start = (self.tok.span.start, self.tok.line);
            match self.field() {
                Ok(field) => fields.push(field),
                Err(Reported) => {
                    let error_at = self.tok.span.start;
                    if !self.recover_in_list(start, error_at) && !self.at(close) {
                        return Err(Reported);
                    }
                }
            }
        }
        Ok(fields)
    }

    fn field(&mut self) -> PResult<Field> {
        let doc = self.take_doc();
        let start = self.tok.span;
        let id = if self.at(TokenKind::Int) {
            let id = self.int("a field id")?;
            self.expect(TokenKind::Colon, "`:` after the field id")?;
            Some(id)
        } else {
            None
        };
        let requiredness = if let Some(span) = self.eat_keyword(Keyword::Required) {
            Some((Requiredness::Required, span))
        } else {
            self.eat_keyword(Keyword::Optional).map(|span| (Requiredness::Optional, span))
        };
        let ty = self.ty()?;
        let reference = self.eat(TokenKind::Amp);
        let name = self.field_name()?;
        let default = if self.eat(TokenKind::Eq).is_some() { Some(self.const_value()?) } else { None };
        let xsd_optional = self.eat_keyword(Keyword::XsdOptional).is_some();
        let xsd_nillable = self.eat_keyword(Keyword::XsdNillable).is_some();
        let xsd_attrs = if self.eat_keyword(Keyword::XsdAttrs).is_some() {
            let open = self.expect(TokenKind::LBrace, "`{`")?;
            let fields = self.field_list(open, TokenKind::RBrace)?;
            self.bump();
            Some(fields)
        } else {
            None
        };
        let annotations = self.annotations()?;
        let span = self.span_from(start);
        self.eat_separator();
        Ok(Field {
            doc,
            id,
            requiredness,
            ty,
            reference,
            name,
            default,
            xsd_optional,
            xsd_nillable,
            xsd_attrs,
            annotations,
            span,
            follow: self.follow_span(),
        })
    }

    /// A field name: an identifier or any keyword except `cpp_type` and the `xsd_*` ones.
    fn field_name(&mut self) -> PResult<Ident> {
        if let TokenKind::Keyword(k) = self.tok.kind {
            let allowed = !matches!(
                k,
                Keyword::CppType
                    | Keyword::XsdAll
                    | Keyword::XsdOptional
                    | Keyword::XsdNillable
                    | Keyword::XsdAttrs
            );
            if allowed {
                let span = self.bump().span;
                return Ok(Ident { name: k.as_str().to_string(), span });
            }
        }
        if self.at(TokenKind::Ident) {
            let span = self.bump().span;
            return Ok(Ident { name: self.text(span).to_string(), span });
        }
        Err(self.error_expected("a field name"))
    }

    fn service(&mut self) -> PResult<Service> {
        self.bump();
        let name = self.ident("the service's name")?;
        let extends = if self.eat_keyword(Keyword::Extends).is_some() {
            Some(self.ident("the name of the service to extend")?)
        } else {
            None
        };
        self.expect(TokenKind::LBrace, "`{`")?;
        let mut functions = Vec::new();
        while !self.at(TokenKind::RBrace) {
            if self.at(TokenKind::Eof) || (self.at_item_start() && self.tok.first_on_line) {
                return Err(self.error_expected("`}`"));
            }
            let start = (self.tok.span.start, self.tok.line);
            match self.function() {
                Ok(function) => functions.push(function),
                Err(Reported) => {
                    let error_at = self.tok.span.start;
                    if !self.recover_in_list(start, error_at) && !self.at(TokenKind::RBrace) {
                        return Err(Reported);
                    }
                }
            }
        }
        self.bump();
        let annotations = self.annotations()?;
        Ok(Service { name, extends, functions, annotations })
    }

    fn function(&mut self) -> PResult<Function> {
        let doc = self.take_doc();
        let start = self.tok.span;
        let oneway = self.eat_keyword(Keyword::Oneway).or_else(|| {
            let span = self.eat_keyword(Keyword::Async)?;
            self.diagnostics.push(
                Diagnostic::warning("async-keyword", "`async` is deprecated", span)
                    .with_help("write `oneway`, which means the same"),
            );
            Some(span)
        });
        let returns_start = self.tok.span;
        let returns = if self.eat_keyword(Keyword::Void).is_some() { None } else { Some(self.ty()?) };
        let returns_span = self.span_from(returns_start);
        let name = self.ident("the function's name")?;
        let open = self.expect(TokenKind::LParen, "`(`")?;
        let params = self.field_list(open, TokenKind::RParen)?;
        self.bump();
        let throws = if let Some(keyword) = self.eat_keyword(Keyword::Throws) {
            let open = self.expect(TokenKind::LParen, "`(`")?;
            let fields = self.field_list(open, TokenKind::RParen)?;
            self.bump();
            Some((fields, keyword))
        } else {
            None
        };
        let annotations = self.annotations()?;
        let span: Span = self.span_from(start);
        self.eat_separator();
        Ok(Function {
            doc,
            oneway,
            returns,
            returns_span,
            name,
            params,
            throws,
            annotations,
            span,
            follow: self.follow_span(),
        })
    }
}
