//! Names that Apache's code generators refuse. The reference compiler accepts them while
//! it only checks a file, but `thrift --gen` fails with "Cannot use reserved language
//! keyword": in 0.17 (Debian's), every generator but Python's refuses the words of the
//! list in Apache's `idl.md`, and Python's refuses Python's keywords. rift warns, naming
//! the generators, since the same IDL usually feeds several languages.

use crate::ast::{DefinitionKind, Field, Ident};
use crate::diagnostic::Diagnostic;
use crate::span::FileId;

use super::{Analyzer, Pass};

/// The words every generator of Apache Thrift 0.17 but Python's refuses (`idl.md`).
const MOST: &[&str] = &[
    "BEGIN",
    "END",
    "__CLASS__",
    "__DIR__",
    "__FILE__",
    "__FUNCTION__",
    "__LINE__",
    "__METHOD__",
    "__NAMESPACE__",
    "abstract",
    "alias",
    "and",
    "args",
    "as",
    "assert",
    "begin",
    "break",
    "case",
    "catch",
    "class",
    "clone",
    "continue",
    "declare",
    "def",
    "default",
    "del",
    "delete",
    "do",
    "dynamic",
    "elif",
    "else",
    "elseif",
    "elsif",
    "end",
    "enddeclare",
    "endfor",
    "endforeach",
    "endif",
    "endswitch",
    "endwhile",
    "ensure",
    "except",
    "exec",
    "finally",
    "float",
    "for",
    "foreach",
    "from",
    "function",
    "global",
    "goto",
    "if",
    "implements",
    "import",
    "in",
    "inline",
    "instanceof",
    "interface",
    "is",
    "lambda",
    "module",
    "native",
    "new",
    "next",
    "nil",
    "not",
    "or",
    "package",
    "pass",
    "public",
    "print",
    "private",
    "protected",
    "raise",
    "redo",
    "rescue",
    "retry",
    "register",
    "return",
    "self",
    "sizeof",
    "static",
    "super",
    "switch",
    "synchronized",
    "then",
    "this",
    "throw",
    "transient",
    "try",
    "undef",
    "unless",
    "unsigned",
    "until",
    "use",
    "var",
    "virtual",
    "volatile",
    "when",
    "while",
    "with",
    "xor",
    "yield",
];

/// The words Apache's Python generator refuses.
const PYTHON: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "print", "raise", "return", "try", "while", "with", "yield",
];

/// Which generators refuse `name`, as words for a message.
fn refused_by(name: &str) -> Option<&'static str> {
    match (MOST.contains(&name), PYTHON.contains(&name)) {
        (true, true) => Some("every generator of Apache Thrift 0.17 (py, java, rs, cpp, go, js, ...)"),
        (true, false) => {
            Some("Apache Thrift 0.17's generators for java, rs, cpp, go, js and most others (not py)")
        }
        (false, true) => Some("Apache Thrift 0.17's Python generator (--gen py)"),
        (false, false) => None,
    }
}

impl Analyzer<'_> {
    /// Warns about every name a generator of the reference would refuse.
    pub(super) fn check_reserved_words(&mut self) {
        let mut found: Vec<(FileId, Ident, &'static str)> = Vec::new();
        for file in self.loaded {
            let mut check = |ident: &Ident, what: &'static str| {
                if refused_by(&ident.name).is_some() {
                    found.push((file.id, ident.clone(), what));
                }
            };
            let fields =
                |fields: &[Field], what: &'static str, check: &mut dyn FnMut(&Ident, &'static str)| {
                    for f in fields {
                        check(&f.name, what);
                    }
                };
            for def in &file.document.definitions {
                match &def.kind {
                    DefinitionKind::Const(c) => check(&c.name, "constant"),
                    DefinitionKind::Typedef(t) => check(&t.name, "typedef"),
                    DefinitionKind::Enum(e) => {
                        check(&e.name, "enum");
                        for v in &e.values {
                            check(&v.name, "enum value");
                        }
                    }
                    DefinitionKind::Struct(s) => {
                        check(&s.name, s.kind.keyword());
                        fields(&s.fields, "field", &mut check);
                    }
                    DefinitionKind::Service(s) => {
                        check(&s.name, "service");
                        for f in &s.functions {
                            check(&f.name, "function");
                            fields(&f.params, "argument", &mut check);
                            if let Some((throws, _)) = &f.throws {
                                fields(throws, "exception field", &mut check);
                            }
                        }
                    }
                }
            }
        }
        for (file, ident, what) in found {
            let refused = refused_by(&ident.name).unwrap_or_default();
            let d = Diagnostic::warning(
                "reserved-word",
                format!("the {what} name `{}` is a reserved word of other languages", ident.name),
                ident.span,
            )
            .with_label("`thrift --gen` refuses this name")
            .with_note(format!("refused by {refused}: \"Cannot use reserved language keyword\""));
            self.report(file, Pass::Generation, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_say_who_refuses() {
        assert!(refused_by("from").is_some_and(|s| s.starts_with("every")));
        assert!(refused_by("self").is_some_and(|s| s.contains("not py")));
        assert!(refused_by("None").is_some_and(|s| s.contains("--gen py")));
        assert_eq!(refused_by("type"), None);
        assert_eq!(refused_by("From"), None);
    }
}
