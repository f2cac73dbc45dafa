//! Shortens absolute paths to names of Rust's prelude (`::std::option::Option::Some` →
//! `Some`) where the module does not shadow them. The generator writes absolute paths
//! everywhere, so that an IDL type named `Result` or `Box` cannot change what the code
//! means; this pass then makes the output shorter and easier to read wherever that is
//! safe. Only whole paths are rewritten, never literals.

use std::collections::HashSet;

use proc_macro2::{Group, Ident, Spacing, Span, TokenStream, TokenTree};

/// Absolute paths and the prelude name each may be shortened to. Longer paths of the
/// same prefix come first.
const PATHS: &[(&[&str], &str)] = &[
    (&["std", "option", "Option", "Some"], "Some"),
    (&["std", "option", "Option", "None"], "None"),
    (&["std", "option", "Option"], "Option"),
    (&["std", "result", "Result", "Ok"], "Ok"),
    (&["std", "result", "Result", "Err"], "Err"),
    (&["std", "result", "Result"], "Result"),
    (&["std", "string", "String"], "String"),
    (&["std", "vec", "Vec"], "Vec"),
    (&["std", "boxed", "Box"], "Box"),
    (&["std", "default", "Default"], "Default"),
    (&["std", "marker", "Send"], "Send"),
    (&["std", "marker", "Sync"], "Sync"),
    (&["std", "convert", "From"], "From"),
];

/// Rewrites `tokens`, leaving alone every path whose short name is in `shadowed`.
pub(crate) fn shorten(tokens: TokenStream, shadowed: &HashSet<String>) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Some((len, name)) = prelude_path_at(&tokens[i..], shadowed) {
            out.push(TokenTree::Ident(Ident::new(name, Span::call_site())));
            i += len;
            continue;
        }
        out.push(match &tokens[i] {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), shorten(g.stream(), shadowed));
                group.set_span(g.span());
                TokenTree::Group(group)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// If `tokens` start with one of [`PATHS`] (each segment `::` then an identifier), how
/// many tokens it takes and its short name.
fn prelude_path_at(tokens: &[TokenTree], shadowed: &HashSet<String>) -> Option<(usize, &'static str)> {
    // Every path here starts `::std::`; most paths of generated code start `::rift::`.
    if !is_path_sep(tokens) || !matches!(tokens.get(2), Some(TokenTree::Ident(id)) if id == "std") {
        return None;
    }
    PATHS.iter().find_map(|(segments, name)| {
        let matches = segments.iter().enumerate().all(|(k, segment)| {
            let at = &tokens[(3 * k).min(tokens.len())..];
            is_path_sep(at) && matches!(at.get(2), Some(TokenTree::Ident(id)) if id == segment)
        });
        // A longer path that merely starts like this one (`Option::Some`) was tried
        // first; what follows here can only be `::method` or generics.
        (matches && !shadowed.contains(*name)).then_some((3 * segments.len(), *name))
    })
}

/// Whether `tokens` start with `::`.
fn is_path_sep(tokens: &[TokenTree]) -> bool {
    matches!(
        (tokens.first(), tokens.get(1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn run(tokens: TokenStream, shadowed: &[&str]) -> String {
        let shadowed = shadowed.iter().map(|s| s.to_string()).collect();
        shorten(tokens, &shadowed).to_string()
    }

    #[test]
    fn shortens_prelude_paths() {
        let code = quote! {
            fn f(x: ::std::option::Option<::std::vec::Vec<u8>>) -> ::std::result::Result<(), ()> {
                let v = ::std::vec::Vec::from([1]);
                match x { ::std::option::Option::Some(_) => ::std::result::Result::Ok(()), _ => todo!() }
            }
        };
        let expected = quote! {
            fn f(x: Option<Vec<u8>>) -> Result<(), ()> {
                let v = Vec::from([1]);
                match x { Some(_) => Ok(()), _ => todo!() }
            }
        };
        assert_eq!(run(code, &[]), expected.to_string());
    }

    #[test]
    fn keeps_shadowed_names_and_other_paths() {
        let code = quote! {
            type A = ::std::result::Result<::std::string::String, ::std::fmt::Error>;
            const S: &str = "::std::option::Option";
            fn f() { ::std::result::Result::Ok(()) }
        };
        let expected = quote! {
            type A = ::std::result::Result<String, ::std::fmt::Error>;
            const S: &str = "::std::option::Option";
            fn f() { Ok(()) }
        };
        assert_eq!(run(code, &["Result"]), expected.to_string());
    }
}
