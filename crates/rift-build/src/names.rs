//! Rust names for IDL names: case conversion, keyword escaping, and unique names within
//! a scope. Wire names never change; only the Rust side is renamed.

use std::collections::HashSet;

use proc_macro2::{Ident, Span};

/// Rust's keywords (strict, reserved and weak ones that cannot be plain identifiers).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Splits a name into words: at `_` and anything else that cannot be in an identifier
/// (file names such as `compaction-coordinator` become modules), at lower-to-upper changes, and before the last
/// capital of a run of capitals followed by a lower-case letter (`HTTPServer` →
/// `HTTP`, `Server`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && !current.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase)));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `getTemperature` → `get_temperature`.
pub(crate) fn snake(name: &str) -> String {
    let out = words(name).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("_");
    if out.is_empty() { "_".into() } else { out }
}

/// `get_temperature` → `GetTemperature`.
pub(crate) fn camel(name: &str) -> String {
    let out: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => {
                    first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>()
                }
                None => String::new(),
            }
        })
        .collect();
    if out.is_empty() { "_".into() } else { out }
}

/// `maxItems` → `MAX_ITEMS`.
pub(crate) fn screaming(name: &str) -> String {
    let out = words(name).iter().map(|w| w.to_uppercase()).collect::<Vec<_>>().join("_");
    if out.is_empty() { "_".into() } else { out }
}

/// A Rust identifier for `name`, escaped if it is a keyword: `r#type`, or `self_`
/// where a raw identifier is not allowed.
pub(crate) fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Ident::new(&format!("_{name}"), Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A segment of a module path: `super` as itself, anything else escaped.
pub(crate) fn segment(name: &str) -> Ident {
    if name == "super" { Ident::new("super", Span::call_site()) } else { ident(name) }
}

/// The names taken in one Rust scope; gives every new name a free spelling by adding
/// `_2`, `_3`, ... in the order names are asked for, so output is deterministic.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub(crate) fn new() -> Scope {
        Scope::default()
    }

    /// Marks a name as taken without allocating it.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// Every name taken.
    pub(crate) fn taken(&self) -> &HashSet<String> {
        &self.taken
    }

    /// A free spelling of `wanted`, now taken.
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range has a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("getTemperature"), "get_temperature");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("already_snake"), "already_snake");
        assert_eq!(snake("ID"), "id");
        assert_eq!(snake("fooBar2Baz"), "foo_bar2_baz");
        assert_eq!(camel("weather_service"), "WeatherService");
        assert_eq!(camel("WeatherService"), "WeatherService");
        assert_eq!(camel("getHTTPResponse"), "GetHttpResponse");
        assert_eq!(screaming("maxItems"), "MAX_ITEMS");
        assert_eq!(screaming("RED"), "RED");
        assert_eq!(snake("compaction-coordinator"), "compaction_coordinator");
        assert_eq!(snake("v1.2 final"), "v1_2_final");
        assert_eq!(snake("--"), "_");
    }

    #[test]
    fn keywords() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("name").to_string(), "name");
    }

    #[test]
    fn clashes() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("foo"), "foo");
        assert_eq!(scope.claim("foo"), "foo2");
        assert_eq!(scope.claim("v1"), "v1");
        assert_eq!(scope.claim("v1"), "v1_2");
    }
}
