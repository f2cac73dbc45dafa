//! The parser: tokens to a [`Document`], never failing.
//!
//! It is a recursive descent parser over the grammar the reference compiler's bison file
//! accepts. Parsing never fails: every problem becomes a [`Diagnostic`], the parser skips
//! to a place where it can go on (the next field, function, enum value or definition),
//! and the tree keeps every node it could parse completely.

mod items;
mod types;

use crate::ast::{Doc, Document, Ident, IntLit, StrLit};
use crate::diagnostic::{Diagnostic, Reports};
use crate::lexer::{Keyword, Lexer, Token, TokenKind};
use crate::span::{FileId, Span};

/// How deeply types, constant values and field lists may nest. Deeper input is
/// rejected with an error instead of risking the stack. Real IDL nests a few levels.
pub const MAX_NESTING: usize = 200;

/// What [`parse`] returns: the tree and everything wrong with it.
#[derive(Debug)]
pub struct Parsed {
    /// The tree; nodes that could not be parsed are missing from it.
    pub document: Document,
    /// Lexical and syntax errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the text of one `.thrift` file.
pub fn parse(src: &str, file: FileId) -> Parsed {
    let mut parser = Parser::new(src, file);
    let document = parser.document();
    let mut diagnostics = parser.lexer.take_diagnostics();
    diagnostics.append(&mut parser.diagnostics.take());
    diagnostics.sort_by_key(|d| d.primary_span().map(|s| s.start));
    let dropped = parser.lexer.dropped() + parser.diagnostics.dropped();
    if dropped > 0 {
        let end = src.len() as u32;
        diagnostics.push(
            Diagnostic::error(
                "too-many-errors",
                format!("{dropped} more errors and warnings in this file are not shown"),
                Span::new(file, end, end),
            )
            .with_note("is this a Thrift file? only the first 100 of each kind are reported"),
        );
    }
    Parsed { document, diagnostics }
}

/// Marks a failed parse whose diagnostic has already been reported.
#[derive(Debug)]
pub(crate) struct Reported;

pub(crate) type PResult<T> = Result<T, Reported>;

pub(crate) struct Parser<'a> {
    lexer: Lexer<'a>,
    src: &'a str,
    file: FileId,
    /// The current token.
    tok: Token,
    /// The token after the current one, once looked at.
    peeked: Option<Token>,
    /// End of the last token consumed.
    prev_end: u32,
    /// Line of the last token consumed (0 before the first).
    prev_line: u32,
    /// The last token consumed, when it was a `,` or `;`.
    prev_separator: Option<Span>,
    /// Doc comments read and not yet attached, in order.
    docs: Vec<Doc>,
    /// The first doc comment of the file and whether a token came before it.
    first_doc: Option<(Doc, bool)>,
    /// Whether any token has been read.
    seen_token: bool,
    diagnostics: Reports,
    depth: usize,
    /// Whether the one warning about `byte` was given.
    byte_warned: bool,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, file: FileId) -> Parser<'a> {
        let mut parser = Parser {
            lexer: Lexer::new(src, file),
            src,
            file,
            tok: Token {
                kind: TokenKind::Eof,
                span: Span::new(file, 0, 0),
                int: 0,
                double: 0.0,
                text: None,
                line: 1,
                first_on_line: true,
            },
            peeked: None,
            prev_end: 0,
            prev_line: 0,
            prev_separator: None,
            docs: Vec::new(),
            first_doc: None,
            seen_token: false,
            diagnostics: Reports::default(),
            depth: 0,
            byte_warned: false,
        };
        parser.tok = parser.raw_next();
        parser
    }

    /// The next significant token from the lexer; doc comments are set aside.
    fn raw_next(&mut self) -> Token {
        loop {
            let token = self.lexer.next_token();
            if token.kind == TokenKind::DocComment {
                let doc = Doc { text: token.text.unwrap_or_default().into(), span: token.span };
                if self.first_doc.is_none() {
                    self.first_doc = Some((doc.clone(), self.seen_token));
                }
                self.docs.push(doc);
                continue;
            }
            if token.kind != TokenKind::Eof {
                self.seen_token = true;
            }
            return token;
        }
    }

    /// Moves to the next token and returns the one that was current.
    fn bump(&mut self) -> Token {
        let next = match self.peeked.take() {
            Some(t) => t,
            None => self.raw_next(),
        };
        self.prev_end = self.tok.span.end;
        self.prev_line = self.tok.line;
        self.prev_separator =
            matches!(self.tok.kind, TokenKind::Comma | TokenKind::Semi).then_some(self.tok.span);
        std::mem::replace(&mut self.tok, next)
    }

    /// The token after the current one.
    fn peek(&mut self) -> &Token {
        if self.peeked.is_none() {
            self.peeked = Some(self.raw_next());
        }
        self.peeked.as_ref().expect("just filled")
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.tok.kind == kind
    }

    fn eat(&mut self, kind: TokenKind) -> Option<Span> {
        if self.at(kind) { Some(self.bump().span) } else { None }
    }

    fn eat_keyword(&mut self, keyword: Keyword) -> Option<Span> {
        self.eat(TokenKind::Keyword(keyword))
    }

    /// Consumes an optional `,` or `;`.
    fn eat_separator(&mut self) {
        if matches!(self.tok.kind, TokenKind::Comma | TokenKind::Semi) {
            self.bump();
        }
    }

    /// Where the reference compiler reports problems with the construct that just ended:
    /// its closing separator if it has one (the reference reduces the rule right there),
    /// else the token after it (which the reference had to read to know the rule ended).
    fn follow_span(&self) -> Span {
        self.prev_separator.unwrap_or(if self.tok.kind == TokenKind::Eof {
            self.eof_span()
        } else {
            self.tok.span
        })
    }

    /// A span from `start` to the end of the last consumed token.
    fn span_from(&self, start: Span) -> Span {
        Span::new(self.file, start.start, self.prev_end.max(start.start))
    }

    /// The doc comment that documents the node starting at the current token: the last
    /// one read before it. Earlier unattached ones are dropped, as the reference does.
    fn take_doc(&mut self) -> Option<Doc> {
        let before = self.tok.span.start;
        let count = self.docs.iter().take_while(|d| d.span.end <= before).count();
        self.docs.drain(..count).next_back()
    }

    /// Drops doc comments before the current token (headers take none).
    fn drop_docs(&mut self) {
        let _ = self.take_doc();
    }

    fn text(&self, span: Span) -> &'a str {
        &self.src[span.range()]
    }

    /// How a token is named in "expected X, found Y" messages.
    fn describe(&self, token: &Token) -> String {
        let text = self.text(token.span);
        match token.kind {
            TokenKind::Ident => format!("identifier `{text}`"),
            TokenKind::Int => format!("integer `{text}`"),
            TokenKind::Double => format!("number `{text}`"),
            TokenKind::Literal => "string literal".to_string(),
            TokenKind::Keyword(k) => format!("keyword `{}`", k.as_str()),
            TokenKind::LegacyNamespace(l) => format!("`{}`", l.keyword),
            TokenKind::Eof => "end of file".to_string(),
            TokenKind::Error => "invalid token".to_string(),
            _ => format!("`{text}`"),
        }
    }

    /// Reports "expected {what}, found ..." at the current token, unless the current
    /// token is one the lexer already reported. When the token is on a later line than
    /// the previous one, the thing is missing at the end of that line, so that is where
    /// the error points.
    fn error_expected(&mut self, what: &str) -> Reported {
        if self.tok.kind != TokenKind::Error {
            let found = self.describe(&self.tok.clone());
            let at_token = if self.tok.kind == TokenKind::Eof { self.eof_span() } else { self.tok.span };
            let mut d = Diagnostic::error("syntax", format!("expected {what}, found {found}"), at_token)
                .with_label(format!("expected {what}"));
            if self.prev_line > 0 && self.tok.line > self.prev_line {
                d.labels[0].span = Span::new(self.file, self.prev_end, self.prev_end);
                d = d.with_reference_span(at_token);
            }
            self.diagnostics.push(d);
        }
        Reported
    }

    fn eof_span(&self) -> Span {
        let end = self.src.len() as u32;
        Span::new(self.file, end, end)
    }

    fn expect(&mut self, kind: TokenKind, what: &str) -> PResult<Span> {
        match self.eat(kind) {
            Some(span) => Ok(span),
            None => Err(self.error_expected(what)),
        }
    }

    /// An identifier, possibly dotted (a reference such as `shared.Type`).
    fn ident(&mut self, what: &str) -> PResult<Ident> {
        if self.at(TokenKind::Ident) {
            let span = self.bump().span;
            return Ok(Ident { name: self.text(span).to_string(), span });
        }
        if let TokenKind::Keyword(k) = self.tok.kind {
            if self.tok.line > self.prev_line {
                return Err(self.error_expected(what));
            }
            let span = self.tok.span;
            self.diagnostics.push(
                Diagnostic::error(
                    "keyword-as-name",
                    format!("expected {what}, found keyword `{}`", k.as_str()),
                    span,
                )
                .with_label("this is a keyword")
                .with_note("only field names may be keywords in Thrift")
                .with_help(format!("choose another name than `{}`", k.as_str())),
            );
            return Err(Reported);
        }
        Err(self.error_expected(what))
    }

    /// A string literal.
    fn literal(&mut self, what: &str) -> PResult<StrLit> {
        if self.at(TokenKind::Literal) {
            let token = self.bump();
            return Ok(StrLit { value: token.text.unwrap_or_default().into(), span: token.span });
        }
        Err(self.error_expected(what))
    }

    /// An integer constant.
    fn int(&mut self, what: &str) -> PResult<IntLit> {
        if self.at(TokenKind::Int) {
            let token = self.bump();
            return Ok(IntLit { value: token.int, span: token.span });
        }
        Err(self.error_expected(what))
    }

    /// Enters one level of nesting, failing past [`MAX_NESTING`].
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            self.diagnostics.push(
                Diagnostic::error(
                    "nesting-too-deep",
                    format!("nesting deeper than {MAX_NESTING} levels"),
                    self.tok.span,
                )
                .with_label("too deep here")
                .with_note("types, constant values and field lists may nest at most this deep"),
            );
            self.depth -= 1;
            return Err(Reported);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Skips tokens after an error in a list (fields, functions, enum values) to where
    /// the next element probably starts. `start` is the first token of the broken element
    /// (its offset and line) and `error_at` where the error was found. It never stops
    /// where the broken element began, so every attempt makes progress. Stops, without consuming, at a token on a
    /// later line than `start`, at `N:` (a field id), at an unmatched closing bracket and at
    /// a definition keyword at the start of a line; stops after a separator that comes
    /// after the error. Returns false at a closing bracket or the end of the file.
    fn recover_in_list(&mut self, start: (u32, u32), error_at: u32) -> bool {
        let (start_offset, start_line) = start;
        let mut depth = 0usize;
        loop {
            let kind = self.tok.kind;
            if kind == TokenKind::Eof {
                return false;
            }
            if depth == 0 && self.tok.span.start > start_offset {
                match kind {
                    TokenKind::RBrace | TokenKind::RParen | TokenKind::RBracket => return false,
                    TokenKind::Comma | TokenKind::Semi if self.tok.span.start > error_at => {
                        self.bump();
                        return true;
                    }
                    _ => {}
                }
                if self.tok.first_on_line && (self.at_item_start() || self.tok.line > start_line) {
                    return true;
                }
                // A field id; never the broken element's own, which the error came after.
                if kind == TokenKind::Int && self.peek().kind == TokenKind::Colon {
                    return true;
                }
            }
            match kind {
                TokenKind::LBrace | TokenKind::LParen | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RParen | TokenKind::RBracket if depth == 0 => return false,
                TokenKind::RBrace | TokenKind::RParen | TokenKind::RBracket => depth -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    /// Whether the current token starts a top-level header or definition.
    fn at_item_start(&self) -> bool {
        matches!(
            self.tok.kind,
            TokenKind::Keyword(
                Keyword::Include
                    | Keyword::CppInclude
                    | Keyword::Namespace
                    | Keyword::Const
                    | Keyword::Typedef
                    | Keyword::Enum
                    | Keyword::Struct
                    | Keyword::Union
                    | Keyword::Exception
                    | Keyword::Service
            ) | TokenKind::LegacyNamespace(_)
        )
    }

    fn document(&mut self) -> Document {
        let (headers, definitions) = self.items();
        let doc = match self.first_doc.take() {
            Some((doc, false)) => {
                let before_headers = headers.first().is_some_and(|h| doc.span.end <= h.span().start);
                let before_definitions =
                    headers.is_empty() && definitions.first().is_some_and(|d| doc.span.end <= d.span.start);
                (before_headers || before_definitions).then_some(doc)
            }
            _ => None,
        };
        Document { doc, headers, definitions, end: self.eof_span() }
    }
}
