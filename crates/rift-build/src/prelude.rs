//! Shortens absolute paths to names of Rust's prelude (`::std::option::Option::Some` →
//! `Some`) where the module does not shadow them. The generator writes absolute paths
//! everywhere, so that an IDL type named `Result` or `Box` cannot change what the code
//! means; this pass then makes the output shorter and easier to read wherever that is
//! safe. Only whole paths are rewritten, never literals.
//!
//! Paths into the runtime (`::rift::codegen::Encode`) become `_rt::Encode`, through
//! one `use ::rift::codegen as _rt;` in each module that needs it: the name cannot
//! clash with a generated one (those never start with an underscore, and a module that
//! defines `_rt` keeps the absolute paths).

use std::collections::HashSet;

use syn::visit_mut::VisitMut;

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

/// The alias of `::rift::codegen` in generated modules.
const RUNTIME: &str = "_rt";

/// Rewrites the paths of `file`, leaving alone every path whose short name is in
/// `shadowed`. Works on the syntax tree that formatting parses anyway, so it costs one
/// walk and no copies of tokens.
#[cfg(test)]
fn shorten(file: &mut syn::File, shadowed: &HashSet<String>) {
    if shorten_items(file, shadowed) {
        file.items.insert(0, runtime_use());
    }
}

/// [`shorten`] for a part of a module's items: rather than adding the module's
/// `use` of the runtime, says whether the items need it ([`RUNTIME_USE`]).
pub(crate) fn shorten_items(file: &mut syn::File, shadowed: &HashSet<String>) -> bool {
    let mut shortener = Shortener { shadowed, alias: !shadowed.contains(RUNTIME), used: false };
    for item in &mut file.items {
        shortener.visit_item_mut(item);
    }
    shortener.used
}

/// The `use` of the runtime at the top of a module, as formatted.
pub(crate) const RUNTIME_USE: &str = "use ::rift::codegen as _rt;\n";

fn runtime_use() -> syn::Item {
    let alias = syn::Ident::new(RUNTIME, proc_macro2::Span::call_site());
    syn::parse_quote! { use ::rift::codegen as #alias; }
}

struct Shortener<'a> {
    shadowed: &'a HashSet<String>,
    /// Whether this module may use the runtime alias.
    alias: bool,
    /// Whether a path of this module was rewritten to the alias.
    used: bool,
}

impl VisitMut for Shortener<'_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        // A nested module holds only generated names (`...Args`, `...Exception`), so
        // the alias is free there; it needs its own `use`.
        let Some((_, items)) = &mut module.content else { return };
        let (alias, used) = (self.alias, self.used);
        (self.alias, self.used) = (true, false);
        for item in items.iter_mut() {
            self.visit_item_mut(item);
        }
        if self.used {
            items.insert(0, runtime_use());
        }
        (self.alias, self.used) = (alias, used);
    }

    fn visit_item_macro_mut(&mut self, item: &mut syn::ItemMacro) {
        // A placeholder for text that spells runtime paths through the alias where
        // it may (see `text`).
        if item.mac.path.is_ident("__rift_text") && self.alias {
            self.used = true;
        }
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        // Generic arguments first: `::std::option::Option<::std::string::String>`.
        syn::visit_mut::visit_path_mut(self, path);
        if path.leading_colon.is_none() {
            return;
        }
        let first = &path.segments[0].ident;
        if first == "rift" && self.alias && path.segments.len() > 2 && path.segments[1].ident == "codegen" {
            let mut old = std::mem::take(&mut path.segments).into_iter().skip(1);
            let codegen = old.next().expect("`codegen`");
            let alias = syn::PathSegment {
                ident: syn::Ident::new(RUNTIME, codegen.ident.span()),
                arguments: syn::PathArguments::None,
            };
            path.leading_colon = None;
            path.segments = std::iter::once(alias).chain(old).collect();
            self.used = true;
            return;
        }
        if first != "std" {
            return;
        }
        let found = PATHS.iter().find(|(segments, name)| {
            path.segments.len() >= segments.len()
                && segments.iter().zip(&path.segments).all(|(want, have)| have.ident == want)
                // Arguments may only sit on the last segment replaced (`Option<T>`).
                && path.segments.iter().take(segments.len() - 1).all(|s| s.arguments.is_none())
                && !self.shadowed.contains(*name)
        });
        if let Some((segments, name)) = found {
            let mut old = std::mem::take(&mut path.segments).into_iter();
            let last = old.by_ref().take(segments.len()).last().expect("a matched segment");
            let short = syn::PathSegment {
                ident: syn::Ident::new(name, last.ident.span()),
                arguments: last.arguments,
            };
            path.leading_colon = None;
            path.segments = std::iter::once(short).chain(old).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn run(tokens: proc_macro2::TokenStream, shadowed: &[&str]) -> String {
        let shadowed = shadowed.iter().map(|s| s.to_string()).collect();
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        shorten(&mut file, &shadowed);
        quote!(#file).to_string()
    }

    fn tokens(tokens: proc_macro2::TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).unwrap();
        quote!(#file).to_string()
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
        assert_eq!(run(code, &[]), tokens(expected));
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
        assert_eq!(run(code, &["Result"]), tokens(expected));
    }

    #[test]
    fn runtime_paths_use_one_alias_per_module() {
        let code = quote! {
            impl ::rift::codegen::Encode for A {}
            pub mod inner {
                pub struct B(pub ::rift::codegen::Bytes);
                pub mod empty { pub struct C; }
            }
        };
        let expected = quote! {
            use ::rift::codegen as _rt;
            impl _rt::Encode for A {}
            pub mod inner {
                use ::rift::codegen as _rt;
                pub struct B(pub _rt::Bytes);
                pub mod empty { pub struct C; }
            }
        };
        assert_eq!(run(code.clone(), &[]), tokens(expected));
        // A module that defines `_rt` itself keeps the absolute paths.
        let kept = quote! {
            impl ::rift::codegen::Encode for A {}
            pub mod inner {
                use ::rift::codegen as _rt;
                pub struct B(pub _rt::Bytes);
                pub mod empty { pub struct C; }
            }
        };
        assert_eq!(run(code, &["_rt"]), tokens(kept));
    }
}
