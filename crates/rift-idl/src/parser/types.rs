//! Types, annotations and constant values.

use super::{PResult, Parser, Reported};
use crate::ast::{Annotation, BaseType, ConstValue, Ident, StrLit, Type, TypeKind};
use crate::lexer::{Keyword, TokenKind};

impl Parser<'_> {
    /// A field type: a base type, a container, or a name.
    pub(super) fn ty(&mut self) -> PResult<Type> {
        self.enter()?;
        let result = self.ty_inner();
        self.leave();
        result
    }

    fn ty_inner(&mut self) -> PResult<Type> {
        let start = self.tok.span;
        let base = match self.tok.kind {
            TokenKind::Ident => {
                let span = self.bump().span;
                let name = Ident { name: self.text(span).to_string(), span };
                // A named type takes no annotations of its own.
                return Ok(Type { kind: TypeKind::Named(name), annotations: Vec::new(), span });
            }
            TokenKind::Keyword(Keyword::Bool) => Some(BaseType::Bool),
            TokenKind::Keyword(Keyword::Byte | Keyword::I8) => Some(BaseType::I8),
            TokenKind::Keyword(Keyword::I16) => Some(BaseType::I16),
            TokenKind::Keyword(Keyword::I32) => Some(BaseType::I32),
            TokenKind::Keyword(Keyword::I64) => Some(BaseType::I64),
            TokenKind::Keyword(Keyword::Double) => Some(BaseType::Double),
            TokenKind::Keyword(Keyword::String) => Some(BaseType::String),
            TokenKind::Keyword(Keyword::Binary) => Some(BaseType::Binary),
            TokenKind::Keyword(Keyword::Uuid) => Some(BaseType::Uuid),
            _ => None,
        };
        let kind = if let Some(base) = base {
            if self.at(TokenKind::Keyword(Keyword::Byte)) && !self.byte_warned {
                self.byte_warned = true;
                self.diagnostics.push(
                    crate::Diagnostic::warning("byte-type", "`byte` is an alias for `i8`", start)
                        .with_help("write `i8` to make clear the type is signed"),
                );
            }
            self.bump();
            TypeKind::Base(base)
        } else {
            match self.tok.kind {
                TokenKind::Keyword(Keyword::Map) => {
                    self.bump();
                    let cpp_type = self.cpp_type()?;
                    self.expect(TokenKind::Lt, "`<`")?;
                    let key = Box::new(self.ty()?);
                    self.expect(TokenKind::Comma, "`,` between the key and value types")?;
                    let value = Box::new(self.ty()?);
                    self.expect(TokenKind::Gt, "`>`")?;
                    TypeKind::Map { key, value, cpp_type }
                }
                TokenKind::Keyword(Keyword::Set) => {
                    self.bump();
                    let cpp_type = self.cpp_type()?;
                    self.expect(TokenKind::Lt, "`<`")?;
                    let elem = Box::new(self.ty()?);
                    self.expect(TokenKind::Gt, "`>`")?;
                    TypeKind::Set { elem, cpp_type }
                }
                TokenKind::Keyword(Keyword::List) => {
                    self.bump();
                    let before = self.cpp_type()?;
                    self.expect(TokenKind::Lt, "`<`")?;
                    let elem = Box::new(self.ty()?);
                    self.expect(TokenKind::Gt, "`>`")?;
                    // The old place for `cpp_type`, after the brackets, still parses.
                    let after = self.cpp_type()?;
                    if let Some(after) = &after {
                        let d = match &before {
                            None => crate::Diagnostic::warning(
                                "cpp-type-position",
                                "`cpp_type` after `list<...>` is deprecated",
                                after.span,
                            )
                            .with_help(format!("write `list cpp_type {:?} <...>`", after.value)),
                            Some(first) => crate::Diagnostic::warning(
                                "cpp-type-position",
                                "`list` has two `cpp_type` clauses",
                                after.span,
                            )
                            .with_label("this one is used")
                            .with_secondary(first.span, "this one is ignored"),
                        };
                        self.diagnostics.push(d);
                    }
                    TypeKind::List { elem, cpp_type: after.or(before) }
                }
                TokenKind::Keyword(Keyword::Void) => {
                    self.diagnostics.push(
                        crate::Diagnostic::error("void-type", "`void` is not a type for values", start)
                            .with_label("only functions can return `void`"),
                    );
                    return Err(Reported);
                }
                _ => return Err(self.error_expected("a type")),
            }
        };
        let annotations = self.annotations()?;
        Ok(Type { kind, annotations, span: self.span_from(start) })
    }

    fn cpp_type(&mut self) -> PResult<Option<StrLit>> {
        if self.eat_keyword(Keyword::CppType).is_some() {
            Ok(Some(self.literal("a C++ type name in quotes")?))
        } else {
            Ok(None)
        }
    }

    /// `( key = "value", ... )`, or nothing.
    pub(super) fn annotations(&mut self) -> PResult<Vec<Annotation>> {
        let mut annotations = Vec::new();
        if self.eat(TokenKind::LParen).is_none() {
            return Ok(annotations);
        }
        while self.eat(TokenKind::RParen).is_none() {
            let start = self.tok.span;
            let key = if self.at(TokenKind::Ident) {
                self.ident("an annotation name")?
            } else if self.at(TokenKind::Eof) || self.at_item_start() {
                return Err(self.error_expected("`)`"));
            } else {
                return Err(self.error_expected("an annotation name or `)`"));
            };
            let value = if self.eat(TokenKind::Eq).is_some() {
                Some(self.literal("the annotation's value in quotes")?)
            } else {
                None
            };
            annotations.push(Annotation { key, value, span: self.span_from(start) });
            self.eat_separator();
        }
        Ok(annotations)
    }

    /// A constant value: a number, string, name, `[list]` or `{map}`.
    pub(super) fn const_value(&mut self) -> PResult<ConstValue> {
        self.enter()?;
        let result = self.const_value_inner();
        self.leave();
        result
    }

    fn const_value_inner(&mut self) -> PResult<ConstValue> {
        let start = self.tok.span;
        match self.tok.kind {
            TokenKind::Int => Ok(ConstValue::Int(self.int("an integer")?)),
            TokenKind::Double => {
                let token = self.bump();
                Ok(ConstValue::Double { value: token.double, span: token.span })
            }
            TokenKind::Literal => Ok(ConstValue::String(self.literal("a string")?)),
            TokenKind::Ident => Ok(ConstValue::Ident(self.ident("a name")?)),
            TokenKind::LBracket => {
                self.bump();
                let mut items = Vec::new();
                while self.eat(TokenKind::RBracket).is_none() {
                    if self.at(TokenKind::Eof) || self.at_item_start() {
                        return Err(self.error_expected("`]`"));
                    }
                    items.push(self.const_value()?);
                    self.eat_separator();
                }
                Ok(ConstValue::List { items, span: self.span_from(start) })
            }
            TokenKind::LBrace => {
                self.bump();
                let mut entries = Vec::new();
                while self.eat(TokenKind::RBrace).is_none() {
                    if self.at(TokenKind::Eof) || self.at_item_start() {
                        return Err(self.error_expected("`}`"));
                    }
                    let key = self.const_value()?;
                    self.expect(TokenKind::Colon, "`:` between key and value")?;
                    let value = self.const_value()?;
                    entries.push((key, value));
                    self.eat_separator();
                }
                Ok(ConstValue::Map { entries, span: self.span_from(start) })
            }
            _ => Err(self.error_expected("a constant value")),
        }
    }
}
