//! The `Encode` and `Decode` impls of structs and arguments, written as formatted text.
//!
//! These impls are most of the generated code and all alike, and building them as
//! tokens only to parse the tokens into a syntax tree and print that tree again was most
//! of the generator's time. So they are written here as text, in the layout the
//! formatter gives, and the token stream holds a placeholder item (`__rift_text!(N);`)
//! that the formatter prints on a line of its own. [`Texts::splice`] puts the text in
//! its place, indented as the placeholder was.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

/// The name of the placeholder macro; no generated name starts with two underscores.
const PLACEHOLDER: &str = "__rift_text!(";

/// Texts set aside while one part of a module is generated.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    texts: RefCell<Vec<String>>,
}

impl Texts {
    /// Keeps `text` (items at indentation 0, each line ending in a newline) and returns
    /// the placeholder item that stands for it.
    pub(crate) fn placeholder(&self, text: String) -> TokenStream {
        let mut texts = self.texts.borrow_mut();
        let index = proc_macro2::Literal::usize_unsuffixed(texts.len());
        texts.push(text);
        quote! { __rift_text!(#index); }
    }

    /// Replaces each placeholder line of `formatted` by its text, indented alike.
    pub(crate) fn splice(&self, formatted: &str) -> String {
        let texts = self.texts.borrow();
        if texts.is_empty() {
            return formatted.to_owned();
        }
        let extra: usize = texts.iter().map(String::len).sum();
        let mut out = String::with_capacity(formatted.len() + extra + extra / 8);
        for line in formatted.split_inclusive('\n') {
            let body = line.trim_start();
            let index = body
                .strip_prefix(PLACEHOLDER)
                .and_then(|rest| rest.trim_end().strip_suffix(");"))
                .and_then(|n| n.parse::<usize>().ok());
            let Some(text) = index.and_then(|i| texts.get(i)) else {
                out.push_str(line);
                continue;
            };
            let indent = &line[..line.len() - body.len()];
            for text_line in text.split_inclusive('\n') {
                if text_line != "\n" {
                    out.push_str(indent);
                }
                out.push_str(text_line);
            }
        }
        out
    }
}

/// How the text spells runtime and prelude paths where it is put, as the prelude pass
/// would have shortened them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spelling {
    pub(crate) rt: &'static str,
    some: &'static str,
    none: &'static str,
    ok: &'static str,
    pub(crate) option: &'static str,
    pub(crate) result: &'static str,
    pub(crate) string: &'static str,
    pub(crate) vec: &'static str,
    pub(crate) send: &'static str,
    pub(crate) sync: &'static str,
    /// The columns of indentation of the items.
    indent: usize,
}

impl Spelling {
    /// The spelling in a module whose own names are `shadowed`, `depth` modules below
    /// the file's top; `alias` says whether the module may use the `_rt` alias of the
    /// runtime.
    pub(crate) fn new(shadowed: &HashSet<String>, depth: usize, alias: bool) -> Spelling {
        let pick =
            |short: &'static str, long: &'static str| if shadowed.contains(short) { long } else { short };
        Spelling {
            rt: if alias { "_rt" } else { "::rift::codegen" },
            some: pick("Some", "::std::option::Option::Some"),
            none: pick("None", "::std::option::Option::None"),
            ok: pick("Ok", "::std::result::Result::Ok"),
            option: pick("Option", "::std::option::Option"),
            result: pick("Result", "::std::result::Result"),
            string: pick("String", "::std::string::String"),
            vec: pick("Vec", "::std::vec::Vec"),
            send: pick("Send", "::std::marker::Send"),
            sync: pick("Sync", "::std::marker::Sync"),
            indent: 4 * depth,
        }
    }
}

/// One field as the codec impls see it.
#[derive(Debug)]
pub(crate) struct CodecField<'a> {
    /// The Rust name, escaped.
    pub(crate) name: String,
    pub(crate) wire: &'a str,
    pub(crate) id: i16,
    /// The `TType` variant of its wire type.
    pub(crate) ttype: &'static str,
    pub(crate) option: bool,
    pub(crate) required: bool,
}

/// The widest line the formatter writes before it breaks an expression.
const WIDTH: usize = 89;

/// The `Encode` and `Decode` impls of a struct whose absent fields take their type's
/// default (`None` for options).
pub(crate) fn codec_impls(s: Spelling, name: &str, wire_name: &str, fields: &[CodecField<'_>]) -> String {
    let rt = s.rt;
    let at = s.indent;
    let mut out = String::with_capacity(600 + 200 * fields.len());
    let w = &mut out;
    let _ = writeln!(w, "impl {rt}::Encode for {name} {{");
    let _ = writeln!(w, "    const TTYPE: {rt}::TType = {rt}::TType::Struct;");
    let _ = writeln!(
        w,
        "    fn encode<W: {rt}::ProtocolWriter + ?Sized>(&self, w: &mut W) -> {rt}::Result<()> {{"
    );
    let wire_lit = format!("{wire_name:?}");
    Expr::call("w.write_struct_begin", vec![Expr::text(&wire_lit)], "?").print(w, at, 8, ";", false);
    let mut order: Vec<&CodecField<'_>> = fields.iter().collect();
    order.sort_by_key(|f| f.id);
    for f in order {
        let call = if f.option { "write_opt_field" } else { "write_field" };
        let args =
            [String::from("w"), format!("{:?}", f.wire), f.id.to_string(), format!("&self.{}", f.name)];
        Expr::call(&format!("{rt}::{call}"), args.iter().map(|a| Expr::text(a)).collect(), "?")
            .print(w, at, 8, ";", false);
    }
    w.push_str("        w.write_field_stop()?;\n        w.write_struct_end()\n    }\n}\n");

    let _ = writeln!(w, "impl {rt}::Decode for {name} {{");
    let _ = writeln!(w, "    const TTYPE: {rt}::TType = {rt}::TType::Struct;");
    let _ =
        writeln!(w, "    fn decode<R: {rt}::ProtocolReader + ?Sized>(r: &mut R) -> {rt}::Result<Self> {{");
    if fields.is_empty() {
        w.push_str("        r.read_struct_begin()?;\n        loop {\n");
        w.push_str("            let field = r.read_field_begin()?;\n");
        let _ = writeln!(w, "            if field.ttype == {rt}::TType::Stop {{");
        w.push_str("                break;\n            }\n");
        w.push_str("            r.skip(field.ttype)?;\n            r.read_field_end()?;\n        }\n");
        let _ = writeln!(w, "        r.read_struct_end()?;\n        {}({name} {{}})\n    }}\n}}", s.ok);
        return out;
    }
    // The locals' types come from the struct literal at the end.
    w.push_str("        use ::rift::codegen::TType as T;\n");
    for i in 0..fields.len() {
        let _ = writeln!(w, "        let mut f{i} = {};", s.none);
    }
    w.push_str("        r.read_struct_begin()?;\n        loop {\n");
    w.push_str("            let field = r.read_field_begin()?;\n");
    w.push_str("            match (field.id, field.ttype) {\n");
    w.push_str("                (_, T::Stop) => break,\n");
    for (i, f) in fields.iter().enumerate() {
        let pattern = format!("({}, T::{})", f.id, f.ttype);
        let wire = format!("{:?}", f.wire);
        let read = Expr::call(
            &format!("{rt}::read_field"),
            vec![Expr::text("r"), Expr::text(&wire_lit), Expr::text(&wire)],
            "?",
        );
        let assign = Expr::call(&format!("f{i} = {}", s.some), vec![read], "");
        let flat = assign.flat();
        if at + 16 + pattern.len() + 4 + flat.len() <= WIDTH {
            let _ = writeln!(w, "                {pattern} => {flat},");
        } else {
            let _ = writeln!(w, "                {pattern} => {{");
            assign.print(w, at, 20, ";", false);
            w.push_str("                }\n");
        }
    }
    w.push_str("                (_, ttype) => r.skip(ttype)?,\n            }\n");
    w.push_str("            r.read_field_end()?;\n        }\n        r.read_struct_end()?;\n");
    let _ = writeln!(w, "        {}({name} {{", s.ok);
    for (i, f) in fields.iter().enumerate() {
        let value = if f.required {
            let local = format!("f{i}");
            let wire = format!("{:?}", f.wire);
            Expr::call(
                &format!("{}: {rt}::required", f.name),
                vec![Expr::text(&local), Expr::text(&wire_lit), Expr::text(&wire)],
                "?",
            )
        } else if f.option {
            Expr::Text(format!("{}: f{i}", f.name))
        } else {
            Expr::Text(format!("{}: f{i}.unwrap_or_default()", f.name))
        };
        value.print(w, at, 12, ",", true);
    }
    w.push_str("        })\n    }\n}\n");
    out
}

/// An expression as the formatter lays it out: on one line when it fits, else a call
/// with one argument on each line.
enum Expr {
    Text(String),
    Call { head: String, args: Vec<Expr>, tail: &'static str },
}

impl Expr {
    fn text(text: &str) -> Expr {
        Expr::Text(text.to_owned())
    }

    fn call(head: &str, args: Vec<Expr>, tail: &'static str) -> Expr {
        Expr::Call { head: head.to_owned(), args, tail }
    }

    fn flat(&self) -> String {
        match self {
            Expr::Text(text) => text.clone(),
            Expr::Call { head, args, tail } => {
                let args: Vec<String> = args.iter().map(Expr::flat).collect();
                format!("{head}({}){tail}", args.join(", "))
            }
        }
    }

    /// Writes the expression and `end` as lines at `base + indent` columns; `base` is
    /// the indentation of the placeholder, which `Texts::splice` adds later. `field`:
    /// the expression is a field of a struct literal.
    fn print(&self, out: &mut String, base: usize, indent: usize, end: &str, field: bool) {
        let flat = self.flat();
        let pad = " ".repeat(indent);
        // The formatter lets the end of a statement or an argument pass the margin, not
        // the comma after a field of a struct literal.
        let end_width = if field { end.len() } else { 0 };
        match self {
            Expr::Call { head, args, tail } if base + indent + flat.len() + end_width > WIDTH => {
                let _ = writeln!(out, "{pad}{head}(");
                for arg in args {
                    arg.print(out, base, indent + 4, ",", false);
                }
                let _ = writeln!(out, "{pad}){tail}{end}");
            }
            _ => {
                let _ = writeln!(out, "{pad}{flat}{end}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_texts_at_the_placeholders_indentation() {
        let texts = Texts::default();
        let a = texts.placeholder("impl A {\n    fn a() {}\n}\n".into());
        let b = texts.placeholder("impl B {}\n\nimpl C {}\n".into());
        assert_eq!(a.to_string(), "__rift_text ! (0) ;");
        assert_eq!(b.to_string(), "__rift_text ! (1) ;");
        let formatted = "struct A;\n__rift_text!(0);\nmod m {\n    __rift_text!(1);\n}\n";
        assert_eq!(
            texts.splice(formatted),
            "struct A;\nimpl A {\n    fn a() {}\n}\nmod m {\n    impl B {}\n\n    impl C {}\n}\n"
        );
    }

    #[test]
    fn spelling_keeps_shadowed_names_whole() {
        let shadowed: HashSet<String> = ["Ok".to_owned(), "_rt".to_owned()].into();
        let s = Spelling::new(&shadowed, 0, false);
        assert_eq!(
            (s.rt, s.some, s.none, s.ok),
            ("::rift::codegen", "Some", "None", "::std::result::Result::Ok")
        );
    }
}
