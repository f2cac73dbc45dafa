//! The lexer: Thrift source text to tokens, with the reference compiler's rules.
//!
//! Apache Thrift's scanner is a flex file whose rules are tried together: the longest
//! match wins and ties go to the rule written first. This lexer reproduces the outcomes
//! that matter: `true`/`false` are integer constants, keywords win over identifiers of
//! the same length, `e10` is an identifier but `e+5` a double, a lone `+` or `-` is the
//! double `0`, identifiers may contain single dots (`shared.Type`), and string literals
//! take `"` or `'` with six escapes.

use crate::diagnostic::{Diagnostic, Reports};
use crate::span::{FileId, Span};

/// What a token is. Payloads (numbers, literal text) are in [`Token`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An identifier, possibly dotted (`a.b.c`).
    Ident,
    /// An integer constant: decimal, hex, `true` (1) or `false` (0).
    Int,
    /// A floating point constant.
    Double,
    /// A string literal.
    Literal,
    /// A `/** ... */` doc comment. The parser attaches it to what follows.
    DocComment,
    /// One of the keywords.
    Keyword(Keyword),
    /// An old `*_namespace` style header keyword that the reference no longer accepts.
    LegacyNamespace(LegacyNamespace),
    Colon,
    Semi,
    Comma,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Eq,
    Lt,
    Gt,
    LBracket,
    RBracket,
    Star,
    Amp,
    /// A character or sequence that is not a token; the lexer reported it.
    Error,
    /// End of input.
    Eof,
}

macro_rules! keywords {
    ($($variant:ident => $text:literal,)*) => {
        /// The reserved words of the Thrift IDL.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
        pub enum Keyword {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
        }

        impl Keyword {
            /// The keyword as written.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Keyword::$variant => $text,)*
                }
            }

            fn from_str(text: &str) -> Option<Keyword> {
                match text {
                    $($text => Some(Keyword::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

keywords! {
    Namespace => "namespace",
    CppInclude => "cpp_include",
    CppType => "cpp_type",
    Include => "include",
    Void => "void",
    Bool => "bool",
    Byte => "byte",
    I8 => "i8",
    I16 => "i16",
    I32 => "i32",
    I64 => "i64",
    Double => "double",
    String => "string",
    Binary => "binary",
    Uuid => "uuid",
    Map => "map",
    List => "list",
    Set => "set",
    Oneway => "oneway",
    Async => "async",
    Typedef => "typedef",
    Struct => "struct",
    Union => "union",
    Exception => "exception",
    Extends => "extends",
    Throws => "throws",
    Service => "service",
    Enum => "enum",
    Const => "const",
    Required => "required",
    Optional => "optional",
    XsdAll => "xsd_all",
    XsdOptional => "xsd_optional",
    XsdNillable => "xsd_nillable",
    XsdAttrs => "xsd_attrs",
}

/// The old language-specific namespace keywords (`cpp_namespace foo`), removed from Thrift.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct LegacyNamespace {
    /// The keyword as written, such as `"java_package"`.
    pub keyword: &'static str,
    /// The language scope to use with `namespace` instead, such as `"java"`.
    pub scope: &'static str,
}

const LEGACY_NAMESPACES: &[(&str, &str)] = &[
    ("cpp_namespace", "cpp"),
    ("java_package", "java"),
    ("csharp_namespace", "csharp"),
    ("delphi_namespace", "delphi"),
    ("php_namespace", "php"),
    ("py_module", "py"),
    ("perl_package", "perl"),
    ("ruby_namespace", "ruby"),
    ("smalltalk_category", "st"),
    ("smalltalk_prefix", "st"),
    ("xsd_namespace", "xsd"),
];

/// A token with its place and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
    /// The value of an `Int` token.
    pub int: i64,
    /// The value of a `Double` token.
    pub double: f64,
    /// The unescaped text of a `Literal`, or the cleaned text of a `DocComment`.
    pub text: Option<Box<str>>,
    /// The one-based line the token starts on.
    pub line: u32,
    /// Whether no other token comes before it on its line.
    pub first_on_line: bool,
}

impl Token {
    fn new(kind: TokenKind, span: Span) -> Token {
        Token { kind, span, int: 0, double: 0.0, text: None, line: 0, first_on_line: false }
    }
}

/// Turns source text into tokens, one at a time, collecting lexical errors.
#[derive(Debug)]
pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
    diagnostics: Reports,
    /// The line at `pos`.
    line: u32,
    /// Whether a line break was passed since the last token.
    at_line_start: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`, which belongs to `file`. A leading UTF-8 byte order mark is
    /// skipped, as the reference compiler does.
    pub fn new(src: &'a str, file: FileId) -> Lexer<'a> {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos,
            file,
            diagnostics: Reports::default(),
            line: 1,
            at_line_start: true,
        }
    }

    /// The errors and warnings found so far (at most 100; see [`Lexer::dropped`]).
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        self.diagnostics.take()
    }

    /// How many diagnostics were found past the first 100, and not kept.
    pub fn dropped(&self) -> usize {
        self.diagnostics.dropped()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start as u32, end as u32)
    }

    fn peek(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    /// The next token; `Eof` forever once the input is used up.
    pub fn next_token(&mut self) -> Token {
        let mut token = self.scan();
        token.line = self.line;
        token.first_on_line = self.at_line_start;
        // Tokens do not span lines, except comments and unterminated literals.
        if matches!(token.kind, TokenKind::DocComment | TokenKind::Error) {
            self.line += self.src[token.span.range()].bytes().filter(|&b| b == b'\n').count() as u32;
        }
        if token.kind != TokenKind::DocComment {
            self.at_line_start = false;
        }
        token
    }

    fn scan(&mut self) -> Token {
        loop {
            let start = self.pos;
            let Some(&c) = self.bytes.get(start) else {
                return Token::new(TokenKind::Eof, self.span(start, start));
            };
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.at_line_start = true;
                }
                b'/' if self.peek(start + 1) == b'*' => {
                    if let Some(token) = self.block_comment(start) {
                        return token;
                    }
                }
                b'/' if self.peek(start + 1) == b'/' => self.skip_line(),
                b'#' => self.skip_line(),
                b':' | b';' | b',' | b'{' | b'}' | b'(' | b')' | b'=' | b'<' | b'>' | b'[' | b']' | b'*'
                | b'&' => {
                    self.pos += 1;
                    let kind = match c {
                        b':' => TokenKind::Colon,
                        b';' => TokenKind::Semi,
                        b',' => TokenKind::Comma,
                        b'{' => TokenKind::LBrace,
                        b'}' => TokenKind::RBrace,
                        b'(' => TokenKind::LParen,
                        b')' => TokenKind::RParen,
                        b'=' => TokenKind::Eq,
                        b'<' => TokenKind::Lt,
                        b'>' => TokenKind::Gt,
                        b'[' => TokenKind::LBracket,
                        b']' => TokenKind::RBracket,
                        b'*' => TokenKind::Star,
                        _ => TokenKind::Amp,
                    };
                    return Token::new(kind, self.span(start, start + 1));
                }
                b'"' | b'\'' => return self.literal(start, c),
                b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    if let Some(token) = self.word_or_number(start) {
                        return token;
                    }
                }
                _ => {
                    let ch = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                    let end = start + ch.len_utf8();
                    self.pos = end;
                    if self.diagnostics.is_full() {
                        // Counted without the cost of a message no one will see.
                        self.diagnostics.drop_one();
                        return Token::new(TokenKind::Error, self.span(start, end));
                    }
                    // Show invisible and direction-changing characters by code point only.
                    let shown = if ch.is_ascii_graphic() {
                        format!("`{ch}`")
                    } else if ch.is_alphanumeric() {
                        format!("`{ch}` (U+{:04X})", ch as u32)
                    } else {
                        format!("U+{:04X}", ch as u32)
                    };
                    let mut d = Diagnostic::error(
                        "unexpected-character",
                        format!("unexpected character {shown}"),
                        self.span(start, end),
                    )
                    .with_label("not part of any Thrift token");
                    if ch == '@' {
                        d = d.with_note(
                            "`@` annotations belong to fbthrift, not to Apache Thrift; \
                             write annotations in parentheses after the definition: `(key = \"value\")`",
                        );
                    }
                    self.diagnostics.push(d);
                    return Token::new(TokenKind::Error, self.span(start, end));
                }
            }
        }
    }

    fn skip_line(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    /// `/* */`, `/** */` (a doc comment, returned as a token) and `/**/` or `/***/`
    /// (ordinary comments).
    fn block_comment(&mut self, start: usize) -> Option<Token> {
        // The reference's "silly comment": `/*`, one or more `*`, then `/`.
        let mut i = start + 2;
        while self.peek(i) == b'*' {
            i += 1;
        }
        if i > start + 2 && self.peek(i) == b'/' {
            self.pos = i + 1;
            return None;
        }
        let is_doc = self.peek(start + 2) == b'*';
        let body_start = start + if is_doc { 3 } else { 2 };
        match self.src[body_start..].find("*/") {
            Some(rel) => {
                let body_end = body_start + rel;
                self.pos = body_end + 2;
                if !is_doc {
                    let newlines = self.src[start..self.pos].bytes().filter(|&b| b == b'\n').count() as u32;
                    if newlines > 0 {
                        self.line += newlines;
                        self.at_line_start = true;
                    }
                }
                if is_doc {
                    let mut token = Token::new(TokenKind::DocComment, self.span(start, self.pos));
                    token.text = Some(clean_doc_text(&self.src[body_start..body_end]).into());
                    Some(token)
                } else {
                    None
                }
            }
            None => {
                self.pos = self.bytes.len();
                let what = if is_doc { "doc comment" } else { "block comment" };
                self.diagnostics.push(
                    Diagnostic::error(
                        "unterminated-comment",
                        format!("unterminated {what}"),
                        self.span(start, start + 2),
                    )
                    .with_label("comment starts here and is never closed")
                    .with_help("close it with `*/`"),
                );
                None
            }
        }
    }

    fn literal(&mut self, start: usize, quote: u8) -> Token {
        let mut value = String::new();
        let mut i = start + 1;
        let mut bad_escape = false;
        loop {
            let Some(&c) = self.bytes.get(i) else {
                self.pos = i;
                self.diagnostics.push(
                    Diagnostic::error(
                        "unterminated-string",
                        "unterminated string literal",
                        self.span(start, start + 1),
                    )
                    .with_label("string starts here and the file ends before it is closed"),
                );
                return Token::new(TokenKind::Error, self.span(start, i));
            };
            match c {
                b'\n' => {
                    self.pos = i;
                    self.diagnostics.push(
                        Diagnostic::error(
                            "unterminated-string",
                            "unterminated string literal",
                            self.span(start, start + 1),
                        )
                        .with_label("string starts here and the line ends before it is closed")
                        .with_note("string literals cannot span lines")
                        .with_help("write a line break as `\\n`")
                        // The reference has read the line break when it notices.
                        .with_reference_span(self.span(i + 1, i + 1)),
                    );
                    return Token::new(TokenKind::Error, self.span(start, i));
                }
                b'\\' => {
                    let escaped = self.peek(i + 1);
                    let out = match escaped {
                        b'r' => Some('\r'),
                        b'n' => Some('\n'),
                        b't' => Some('\t'),
                        b'"' => Some('"'),
                        b'\'' => Some('\''),
                        b'\\' => Some('\\'),
                        _ => None,
                    };
                    match out {
                        Some(ch) => {
                            value.push(ch);
                            i += 2;
                        }
                        None => {
                            let len = self.src[i + 1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                            let len = if escaped == b'\n' || escaped == 0 { 1 } else { len };
                            bad_escape = true;
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "bad-escape",
                                    "unknown escape sequence in string literal",
                                    self.span(i, i + len),
                                )
                                .with_label("not a valid escape")
                                .with_note(
                                    "Thrift strings know only `\\n`, `\\r`, `\\t`, `\\\"`, `\\'` and `\\\\`",
                                ),
                            );
                            i += len;
                        }
                    }
                }
                _ if c == quote => {
                    self.pos = i + 1;
                    if bad_escape {
                        return Token::new(TokenKind::Error, self.span(start, self.pos));
                    }
                    let mut token = Token::new(TokenKind::Literal, self.span(start, self.pos));
                    token.text = Some(value.into());
                    return token;
                }
                _ => {
                    // Copy a run of ordinary characters at once.
                    let run = self.bytes[i..]
                        .iter()
                        .position(|&b| b == b'\n' || b == b'\\' || b == quote)
                        .unwrap_or(self.bytes.len() - i);
                    value.push_str(&self.src[i..i + run]);
                    i += run;
                }
            }
        }
    }

    /// Identifiers, keywords and numbers, which the reference's rules make compete for
    /// the longest match.
    fn word_or_number(&mut self, start: usize) -> Option<Token> {
        let b = self.bytes;
        let ident_len = ident_match(b, start);
        let (int_len, hex_len, dub_len) = number_matches(b, start);
        // Rule order for ties: keywords, integer, hex, identifier, double.
        let longest = ident_len.max(int_len).max(hex_len).max(dub_len);
        if longest == 0 {
            // A lone `.`: not a token.
            self.pos = start + 1;
            self.diagnostics.push(
                Diagnostic::error(
                    "unexpected-character",
                    "unexpected character `.`",
                    self.span(start, start + 1),
                )
                .with_label("not part of any Thrift token"),
            );
            return Some(Token::new(TokenKind::Error, self.span(start, start + 1)));
        }
        let end = start + longest;
        self.pos = end;
        let span = self.span(start, end);
        let text = &self.src[start..end];
        if ident_len == longest && ident_len > int_len && ident_len > hex_len {
            return Some(self.word(text, span));
        }
        if int_len == longest {
            let mut token = Token::new(TokenKind::Int, span);
            match text.parse::<i64>() {
                Ok(v) => token.int = v,
                Err(_) => return Some(self.too_big(span, text)),
            }
            return Some(token);
        }
        if hex_len == longest {
            let (negative, digits) = match text.as_bytes()[0] {
                b'-' => (true, &text[3..]),
                b'+' => (false, &text[3..]),
                _ => (false, &text[2..]),
            };
            let mut token = Token::new(TokenKind::Int, span);
            match i64::from_str_radix(digits, 16) {
                Ok(v) => token.int = if negative { -v } else { v },
                Err(_) => return Some(self.too_big(span, text)),
            }
            return Some(token);
        }
        let mut token = Token::new(TokenKind::Double, span);
        token.double = parse_double(text);
        if !text.bytes().any(|c| c.is_ascii_digit()) {
            self.diagnostics.push(
                Diagnostic::warning("sign-without-digits", format!("`{text}` is read as the number 0"), span)
                    .with_label("a sign or exponent without digits")
                    .with_note("the reference compiler reads this as the double constant 0.0"),
            );
        }
        Some(token)
    }

    fn too_big(&mut self, span: Span, text: &str) -> Token {
        self.diagnostics.push(
            Diagnostic::error("integer-too-big", format!("integer constant `{text}` is too big"), span)
                .with_label("does not fit in 64 bits")
                .with_note("Thrift integer constants are signed 64-bit integers"),
        );
        Token::new(TokenKind::Error, span)
    }

    fn word(&mut self, text: &str, span: Span) -> Token {
        match text {
            "true" | "false" => {
                let mut token = Token::new(TokenKind::Int, span);
                token.int = i64::from(text == "true");
                return token;
            }
            _ => {}
        }
        if let Some(keyword) = Keyword::from_str(text) {
            return Token::new(TokenKind::Keyword(keyword), span);
        }
        if let Some(&(keyword, scope)) = LEGACY_NAMESPACES.iter().find(|(k, _)| *k == text) {
            return Token::new(TokenKind::LegacyNamespace(LegacyNamespace { keyword, scope }), span);
        }
        Token::new(TokenKind::Ident, span)
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Length of `[a-zA-Z_](\.[a-zA-Z_0-9]|[a-zA-Z_0-9])*` at `start`, or 0.
fn ident_match(b: &[u8], start: usize) -> usize {
    if !b.get(start).is_some_and(|&c| is_ident_start(c)) {
        return 0;
    }
    let mut i = start + 1;
    loop {
        match b.get(i) {
            Some(&c) if is_ident_char(c) => i += 1,
            Some(b'.') if b.get(i + 1).is_some_and(|&c| is_ident_char(c)) => i += 2,
            _ => return i - start,
        }
    }
}

fn digits(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Lengths of the integer, hex and double rules at `start` (0 where a rule does not match).
fn number_matches(b: &[u8], start: usize) -> (usize, usize, usize) {
    let mut i = start;
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let signed = i;
    // Integer: [+-]?[0-9]+
    let int_end = digits(b, signed);
    let int_len = if int_end > signed { int_end - start } else { 0 };
    // Hex: [+-]?0x[0-9A-Fa-f]+
    let mut hex_len = 0;
    if b.get(signed) == Some(&b'0') && b.get(signed + 1) == Some(&b'x') {
        let mut j = signed + 2;
        while b.get(j).is_some_and(u8::is_ascii_hexdigit) {
            j += 1;
        }
        if j > signed + 2 {
            hex_len = j - start;
        }
    }
    // Double: [+-]?[0-9]*(\.[0-9]+)?([eE][+-]?[0-9]+)?
    let mut j = digits(b, signed);
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j = digits(b, j + 1);
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let e = digits(b, k);
        if e > k {
            j = e;
        }
    }
    let dub_len = j - start;
    (int_len, hex_len, dub_len)
}

/// Reads a double constant as C's `atof` would: the longest valid prefix, 0 if none.
fn parse_double(text: &str) -> f64 {
    if let Ok(v) = text.parse::<f64>() {
        return v;
    }
    // Forms Rust does not parse: a lone sign, or an exponent without mantissa digits
    // (`e5`, `-e5`), both of which are 0 to atof.
    let negative = text.starts_with('-');
    if negative { -0.0 } else { 0.0 }
}

/// Cleans the inside of a `/** ... */` comment the way documentation readers expect:
/// drops a common `*` margin, common indentation, trailing blanks, and blank first and
/// last lines.
pub(crate) fn clean_doc_text(raw: &str) -> String {
    let raw = raw.replace('\r', "");
    let mut lines: Vec<&str> = raw.split('\n').collect();
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        return String::new();
    }
    let first = lines[0].trim_start_matches([' ', '\t']);
    let rest = &lines[1..];
    // A margin of the same indentation followed by `*` on every nonblank line.
    let margin = rest.iter().filter(|l| !l.trim().is_empty()).try_fold(None, |acc, l| {
        let indent = l.len() - l.trim_start_matches([' ', '\t']).len();
        if l.as_bytes()[indent] != b'*' {
            return Err(());
        }
        match acc {
            None => Ok(Some(indent)),
            Some(m) if m == indent => Ok(Some(m)),
            Some(_) => Err(()),
        }
    });
    let mut body: Vec<String> = rest
        .iter()
        .map(|l| match margin {
            Ok(Some(m)) if !l.trim().is_empty() => l[m + 1..].to_string(),
            _ if l.trim().is_empty() => String::new(),
            _ => l.to_string(),
        })
        .collect();
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    for line in &mut body {
        if line.len() >= indent {
            line.drain(..indent);
        }
    }
    let mut out = Vec::with_capacity(body.len() + 1);
    if !first.trim().is_empty() {
        out.push(first.trim_end().to_string());
    }
    out.extend(body.into_iter().map(|l| l.trim_end().to_string()));
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, String)> {
        let mut lexer = Lexer::new(src, FileId(0));
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token();
            if t.kind == TokenKind::Eof {
                break;
            }
            out.push((t.kind, src[t.span.range()].to_string()));
        }
        out
    }

    #[test]
    fn longest_match_rules() {
        use TokenKind::*;
        let k = kinds("e10 e+5 1e5 0x1F 12 1.5 .5 + true trueish a.b.c structure struct");
        let got: Vec<_> = k.iter().map(|(k, t)| (*k, t.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (Ident, "e10"),
                (Double, "e+5"),
                (Double, "1e5"),
                (Int, "0x1F"),
                (Int, "12"),
                (Double, "1.5"),
                (Double, ".5"),
                (Double, "+"),
                (Int, "true"),
                (Ident, "trueish"),
                (Ident, "a.b.c"),
                (Ident, "structure"),
                (Keyword(super::Keyword::Struct), "struct"),
            ]
        );
    }

    #[test]
    fn trailing_dot_is_not_part_of_identifier() {
        let k = kinds("a.b. x");
        assert_eq!(k[0].1, "a.b");
        assert_eq!(k[1].0, TokenKind::Error);
    }

    #[test]
    fn hex_and_negative_values() {
        let mut lexer = Lexer::new("-0x10 +0x10 -5 false", FileId(0));
        let values: Vec<i64> = (0..4).map(|_| lexer.next_token().int).collect();
        assert_eq!(values, vec![-16, 16, -5, 0]);
    }

    #[test]
    fn too_big_integers_are_errors() {
        let mut lexer = Lexer::new("9876543210987654321 0x8000000000000000 -9223372036854775808", FileId(0));
        assert_eq!(lexer.next_token().kind, TokenKind::Error);
        assert_eq!(lexer.next_token().kind, TokenKind::Error);
        let last = lexer.next_token();
        assert_eq!((last.kind, last.int), (TokenKind::Int, i64::MIN));
        assert_eq!(lexer.take_diagnostics().len(), 2);
    }

    #[test]
    fn comments_and_doc_comments() {
        let k = kinds("# x\n// y\n/* z */ /**/ /***/ /** doc */ a");
        assert_eq!(k.len(), 2);
        assert_eq!(k[0].0, TokenKind::DocComment);
        assert_eq!(k[1].1, "a");
    }

    #[test]
    fn string_escapes() {
        let mut lexer = Lexer::new(r#""a\tb\\c\"d" 'it''s'"#, FileId(0));
        assert_eq!(lexer.next_token().text.as_deref(), Some("a\tb\\c\"d"));
        assert_eq!(lexer.next_token().text.as_deref(), Some("it"));
        let bad = Lexer::new(r#""\q""#, FileId(0)).next_token();
        assert_eq!(bad.kind, TokenKind::Error);
    }

    #[test]
    fn doc_text_cleanup() {
        assert_eq!(clean_doc_text(" Hello\n   * world\n   *  indented\n   "), "Hello\nworld\n indented");
        assert_eq!(clean_doc_text("\n  Two\n  lines\n"), "Two\nlines");
        assert_eq!(clean_doc_text(" one "), "one");
    }
}
