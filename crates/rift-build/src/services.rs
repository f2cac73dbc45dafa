//! Code for services: handler traits (async and blocking), processors, clients (async
//! and blocking), and a module with each function's argument, result and exception
//! types.

use proc_macro2::TokenStream;
use std::fmt::Write;

use quote::quote;
use rift_idl::model::{self, DefId, DefinitionKind, Function};

use crate::items::{FieldSpec, struct_code, ttype};
use crate::names::{Scope, camel, ident, segment};
use crate::plan::MethodNames;
use crate::types::{Ctx, doc_text};

/// A function with the service that defines it and its generated names.
struct Method<'a> {
    service: DefId,
    function: &'a Function,
    names: &'a MethodNames,
}

/// The functions of a service and of its bases, bases first.
fn all_methods<'a>(ctx: Ctx<'a, '_>, service: DefId) -> Vec<Method<'a>> {
    let schema = ctx.plan.schema;
    let mut chain = vec![service];
    let mut current = service;
    while let DefinitionKind::Service(s) = &schema.definition(current).kind {
        match s.extends {
            Some(base) if !chain.contains(&base) => {
                chain.push(base);
                current = base;
            }
            _ => break,
        }
    }
    chain
        .iter()
        .rev()
        .flat_map(|&id| {
            let DefinitionKind::Service(s) = &schema.definition(id).kind else { unreachable!() };
            let names = &ctx.plan.services[&id];
            s.functions.iter().zip(&names.methods).map(move |(function, names)| Method {
                service: id,
                function,
                names,
            })
        })
        .collect()
}

pub(crate) fn service(ctx: Ctx<'_, '_>, def: &model::Definition) -> TokenStream {
    let DefinitionKind::Service(s) = &def.kind else { unreachable!() };
    let names = &ctx.plan.services[&def.id];
    let module = ident(&names.module);
    let inner = ctx.nested();
    // Functions that declare the same exceptions share one enum; the others name it
    // through a type alias, so each function still has its own exception type name.
    let mut first_with: Vec<(String, &str)> = Vec::new();
    let types: Vec<TokenStream> = s
        .functions
        .iter()
        .zip(&names.methods)
        .map(|(f, m)| {
            let key: String =
                f.throws.iter().map(|t| format!("{}:{}:{};", t.id, t.name, inner.ty(&t.ty))).collect();
            let shared = if f.oneway || f.throws.is_empty() {
                None
            } else if let Some((_, first)) = first_with.iter().find(|(k, _)| *k == key) {
                Some(*first)
            } else {
                first_with.push((key, &m.exception));
                None
            };
            function_types(inner, f, m, shared)
        })
        .collect();
    let methods = all_methods(ctx, def.id);
    let text = service_text(ctx, def, s, &methods);
    let items = match ctx.texts {
        Some(texts) => texts.placeholder(text),
        // Without a place for text, as tokens (the text is Rust).
        None => text.parse().unwrap_or_default(),
    };
    let module_doc = format!(" Argument, result and exception types of the functions of `{}`.", def.name);
    quote! {
        #items

        #[doc = #module_doc]
        pub mod #module {
            #(#types)*
        }
    }
}

/// The widest line the formatter writes (see `text`).
const WIDTH: usize = 89;

/// Writes `{head}({params}) -> {ret}{end}` at `indent`: on one line when it fits, else
/// with a parameter on each line; `ret_broken` is the return type laid over several
/// lines, for when even its own line is too long.
fn signature_text(
    out: &mut String,
    indent: &str,
    head: &str,
    params: &[String],
    ret: &str,
    ret_broken: Option<&str>,
    end: &str,
) {
    let line = format!("{indent}{head}({}) -> {ret}", params.join(", "));
    if line.len() <= WIDTH {
        let _ = writeln!(out, "{line}{end}");
        return;
    }
    let _ = writeln!(out, "{indent}{head}(");
    for p in params {
        let _ = writeln!(out, "{indent}    {p},");
    }
    match ret_broken {
        Some(broken) if indent.len() + 5 + ret.len() > WIDTH => {
            let _ = writeln!(out, "{indent}) -> {broken}{end}");
        }
        _ => {
            let _ = writeln!(out, "{indent}) -> {ret}{end}");
        }
    }
}

/// The handler traits, processors and clients of a service, as formatted text.
fn service_text(
    ctx: Ctx<'_, '_>,
    def: &model::Definition,
    s: &model::Service,
    methods: &[Method<'_>],
) -> String {
    let names = &ctx.plan.services[&def.id];
    let sp = ctx.spelling();
    let rt = sp.rt;
    let wire_service = &def.name;
    let id = |name: &str| ident(name).to_string();
    let (handler, blocking) = (id(&names.handler), id(&names.blocking));
    let (processor, blocking_processor) = (id(&names.processor), id(&names.blocking_processor));
    let (client, blocking_client) = (id(&names.client), id(&names.blocking_client));
    let mut out = String::with_capacity(4096 + methods.len() * 1500);
    let w = &mut out;

    // Handler traits: own functions; bases through supertraits.
    let (base, base_blocking) = match s.extends {
        Some(base) => {
            let base_names = &ctx.plan.services[&base];
            let prefix: String = ctx
                .plan
                .path_to(ctx.module, ctx.extra, ctx.plan.module_of(base))
                .iter()
                .map(|p| segment(p).to_string() + "::")
                .collect();
            (format!("{prefix}{}", id(&base_names.handler)), format!("{prefix}{}", id(&base_names.blocking)))
        }
        None => {
            let plain = format!("{} + {} + 'static", sp.send, sp.sync);
            (plain.clone(), plain)
        }
    };
    let idl_doc = doc_text(def.doc.as_deref(), "");
    for (is_async, name, base, summary) in [
        (
            true,
            &handler,
            &base,
            format!(
                "The handler of service `{wire_service}`: implement it, and serve it with [`{}`].",
                names.processor
            ),
        ),
        (
            false,
            &blocking,
            &base_blocking,
            format!(
                "The blocking handler of service `{wire_service}`, served by [`{}`].",
                names.blocking_processor
            ),
        ),
    ] {
        let _ = writeln!(w, "/// {summary}");
        if !idl_doc.is_empty() {
            w.push_str("///\n");
            w.push_str(&idl_doc);
        }
        if s.functions.is_empty() {
            let _ = writeln!(w, "pub trait {name}: {base} {{}}");
            continue;
        }
        let _ = writeln!(w, "pub trait {name}: {base} {{");
        for (f, m) in s.functions.iter().zip(&names.methods) {
            w.push_str(&method_doc(ctx, def.id, f, Role::Handler));
            let (params, value, error) = signature_parts(ctx, def.id, f, m, false);
            let out_ty = format!("{}<{value}, {error}>", sp.result);
            let head = format!("fn {}", id(&m.method));
            if is_async {
                let ret = format!("impl {rt}::Future<Output = {out_ty}> + {}", sp.send);
                let broken = format!("impl {rt}::Future<\n        Output = {out_ty},\n    > + {}", sp.send);
                signature_text(w, "    ", &head, &params, &ret, Some(&broken), ";");
            } else {
                signature_text(w, "    ", &head, &params, &out_ty, None, ";");
            }
        }
        w.push_str("}\n");
    }

    // Processors.
    for (is_async, name, handler, trait_name) in [
        (true, &processor, &handler, "Processor"),
        (false, &blocking_processor, &blocking, "BlockingProcessor"),
    ] {
        let doc = if is_async {
            "/// Serves a handler: decodes each call, calls the handler, encodes the reply."
        } else {
            "/// Serves a blocking handler."
        };
        let _ = writeln!(w, "{doc}\n#[derive(Debug, Clone)]\npub struct {name}<H> {{\n    handler: H,\n}}");
        let _ = writeln!(w, "impl<H> {name}<H> {{");
        let _ = writeln!(w, "    /// A processor for `handler`.\n    pub fn new(handler: H) -> Self {{");
        let _ = writeln!(w, "        {name} {{ handler }}\n    }}");
        let _ = writeln!(
            w,
            "    /// The handler.\n    pub fn handler(&self) -> &H {{\n        &self.handler\n    }}\n}}"
        );
        let header = format!("impl<H: {handler}> {rt}::{trait_name} for {name}<H> {{");
        if header.len() <= WIDTH {
            let _ = writeln!(w, "{header}");
        } else {
            let _ = writeln!(w, "impl<H: {handler}> {rt}::{trait_name}\nfor {name}<H> {{");
        }
        let _ =
            writeln!(w, "    fn service_name(&self) -> &'static str {{\n        {wire_service:?}\n    }}");
        let asyncness = if is_async { "async " } else { "" };
        let _ = writeln!(
            w,
            "    {asyncness}fn process(&self, request: {rt}::Request) -> {rt}::Result<{rt}::Reply> {{"
        );
        if methods.is_empty() {
            w.push_str("        request.unknown_method()\n");
        } else {
            w.push_str("        match request.method() {\n");
            for m in methods {
                dispatch_arm_text(w, ctx, m, is_async);
            }
            w.push_str("            _ => request.unknown_method(),\n        }\n");
        }
        w.push_str("    }\n}\n");
    }

    // Clients.
    for (is_async, name, channel) in
        [(true, &client, "Channel"), (false, &blocking_client, "BlockingChannel")]
    {
        let doc = if is_async {
            "/// Calls the service through an async channel."
        } else {
            "/// Calls the service through a blocking channel."
        };
        let _ = writeln!(w, "{doc}\n#[derive(Debug, Clone)]\npub struct {name}<C> {{\n    channel: C,\n}}");
        let _ = writeln!(w, "impl<C: {rt}::{channel}> {name}<C> {{");
        let _ =
            writeln!(w, "    /// A client calling through `channel`.\n    pub fn new(channel: C) -> Self {{");
        let _ = writeln!(w, "        {name} {{ channel }}\n    }}");
        let _ = writeln!(
            w,
            "    /// The channel.\n    pub fn channel(&self) -> &C {{\n        &self.channel\n    }}"
        );
        for m in methods {
            client_method_text(w, ctx, m, is_async);
        }
        w.push_str("}\n");
    }
    out
}

/// The parameters (`&self` first), the value and the error type of a method; `client`
/// picks the client's error type over the handler's.
fn signature_parts(
    ctx: Ctx<'_, '_>,
    service: DefId,
    f: &Function,
    m: &MethodNames,
    client: bool,
) -> (Vec<String>, String, String) {
    let sp = ctx.spelling();
    let rt = sp.rt;
    let mut params = vec!["&self".to_owned()];
    for (p, name) in f.params.iter().zip(&m.params) {
        let ty = ctx.ty_text(&p.ty);
        let ty = if p.requiredness == rift_idl::ast::Requiredness::Optional {
            format!("{}<{ty}>", sp.option)
        } else {
            ty
        };
        params.push(format!("{}: {ty}", ident(name)));
    }
    let value = if f.oneway {
        "()".to_owned()
    } else {
        f.returns.as_ref().map_or_else(|| "()".to_owned(), |t| ctx.ty_text(t))
    };
    let error = match (client, f.throws.is_empty() || f.oneway) {
        (false, true) => format!("{rt}::ApplicationException"),
        (true, true) => format!("{rt}::ClientError"),
        (false, false) => format!("{rt}::ServerError<{}>", ctx.service_item_text(service, &m.exception)),
        (true, false) => format!("{rt}::ClientError<{}>", ctx.service_item_text(service, &m.exception)),
    };
    (params, value, error)
}

/// The arm of a processor's `match` for one function.
fn dispatch_arm_text(w: &mut String, ctx: Ctx<'_, '_>, m: &Method<'_>, is_async: bool) {
    let rt = ctx.spelling().rt;
    let f = m.function;
    let args = ctx.service_item_text(m.service, &m.names.args);
    let serve = match (f.oneway, is_async) {
        (false, true) => "serve",
        (true, true) => "serve_oneway",
        (false, false) => "serve_blocking",
        (true, false) => "serve_oneway_blocking",
    };
    let binding = if f.params.is_empty() { "_" } else { "a" };
    let call_args: Vec<String> = m.names.params.iter().map(|p| format!("a.{}", ident(p))).collect();
    let call = format!("self.handler.{}({})", ident(&m.names.method), call_args.join(", "));
    let wait = if is_async { ".await" } else { "" };
    let _ = writeln!(w, "            {:?} => {{", f.name);
    let line = format!("                {rt}::{serve}(request, |{binding}: {args}| {call}){wait}");
    if line.len() <= WIDTH {
        let _ = writeln!(w, "{line}");
    } else {
        let _ = writeln!(w, "                {rt}::{serve}(request, |{binding}: {args}| {{");
        let _ = writeln!(w, "                    {call}");
        let _ = writeln!(w, "                }}){}", if is_async { "\n                .await" } else { "" });
    }
    w.push_str("            }\n");
}

/// Who a method's doc comment is written for.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Handler,
    Client,
}

/// The doc comment of a handler or client method: the IDL's, or one that names the
/// call, its arguments and its exceptions.
fn method_doc(ctx: Ctx<'_, '_>, service: DefId, f: &Function, role: Role) -> String {
    let idl = doc_text(f.doc.as_deref(), "    ");
    if !idl.is_empty() {
        return idl;
    }
    let schema = ctx.plan.schema;
    let params: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
    let call = format!("`{}({})`", f.name, params.join(", "));
    let service = &schema.definition(service).name;
    let mut text = match (role, f.oneway) {
        (Role::Handler, false) => format!("Answers {call}, a call of service `{service}`."),
        (Role::Handler, true) => {
            format!("Handles {call}, a oneway call of service `{service}` (the client awaits no reply).")
        }
        (Role::Client, false) => format!("Calls {call} of service `{service}` and returns its reply."),
        (Role::Client, true) => {
            format!("Sends {call} to service `{service}`: a oneway call, no reply is awaited.")
        }
    };
    let throws: Vec<String> = f
        .throws
        .iter()
        .map(|t| match &t.ty.kind {
            model::TypeKind::Named(id) => format!("`{}` (as `{}`)", schema.definition(*id).name, t.name),
            _ => format!("`{}`", t.name),
        })
        .collect();
    if !throws.is_empty() {
        let verb = if role == Role::Handler { "may throw" } else { "may answer with" };
        let _ = write!(text, " The IDL says it {verb} {}.", throws.join(", "));
    }
    doc_text(Some(&text), "    ")
}

/// A client method for one function.
fn client_method_text(w: &mut String, ctx: Ctx<'_, '_>, m: &Method<'_>, is_async: bool) {
    let sp = ctx.spelling();
    let f = m.function;
    w.push_str(&method_doc(ctx, m.service, f, Role::Client));
    let (params, value, error) = signature_parts(ctx, m.service, f, m.names, true);
    let head = format!("pub {}fn {}", if is_async { "async " } else { "" }, ident(&m.names.method));
    signature_text(w, "    ", &head, &params, &format!("{}<{value}, {error}>", sp.result), None, " {");
    let args = ctx.service_item_text(m.service, &m.names.args);
    let fields: Vec<String> = m.names.params.iter().map(|p| ident(p).to_string()).collect();
    let verb = if f.oneway { "oneway" } else { "call" };
    let wait = if is_async { ".await" } else { "" };
    let build = if fields.is_empty() {
        format!("&{args} {{}}")
    } else {
        format!("&{args} {{ {} }}", fields.join(", "))
    };
    let line = format!("        self.channel.{verb}({:?}, {build}){wait}", f.name);
    if line.len() <= WIDTH {
        let _ = writeln!(w, "{line}");
    } else {
        let _ = writeln!(w, "        self.channel\n            .{verb}(\n                {:?},", f.name);
        if fields.is_empty() {
            let _ = writeln!(w, "                &{args} {{}},");
        } else {
            let _ = writeln!(w, "                &{args} {{");
            for field in &fields {
                let _ = writeln!(w, "                    {field},");
            }
            w.push_str("                },\n");
        }
        w.push_str("            )\n");
        if is_async {
            w.push_str("            .await\n");
        }
    }
    w.push_str("    }\n");
}

/// The types of one function: its arguments, and its exception enum (or, with `shared`,
/// an alias of the enum of an earlier function that declares the same exceptions).
fn function_types(ctx: Ctx<'_, '_>, f: &Function, m: &MethodNames, shared: Option<&str>) -> TokenStream {
    let args = ident(&m.args);
    let args_fields: Vec<FieldSpec<'_>> =
        f.params.iter().zip(&m.params).map(|(p, name)| FieldSpec::argument(ctx, p, name)).collect();
    let args_doc = format!(" The arguments of `{}`.", f.name);
    let args_code = struct_code(
        ctx,
        &args,
        &format!("{}_args", f.name),
        quote! { #[doc = #args_doc] },
        None,
        &args_fields,
        false,
    );
    if f.oneway {
        return args_code;
    }
    if f.throws.is_empty() {
        return args_code;
    }
    let exception = ident(&m.exception);
    if let Some(shared) = shared {
        let doc = format!(" The exceptions `{}` declares: the same as [`{shared}`].", f.name);
        let shared = ident(shared);
        return quote! {
            #args_code

            #[doc = #doc]
            pub type #exception = #shared;
        };
    }
    // The declared exceptions: an enum, written and read as fields of the result struct.
    let wire_result = "result";
    let exceptions: Vec<(proc_macro2::Ident, &model::Field)> =
        exception_variants(f).into_iter().zip(&f.throws).collect();
    let variants = exceptions.iter().map(|(v, t)| {
        let ty = ctx.ty(&t.ty);
        quote! { #v(#ty), }
    });
    let writes = exceptions.iter().map(|(v, t)| {
        let (wire, id) = (&t.name, proc_macro2::Literal::i16_unsuffixed(t.id));
        quote! { #exception::#v(e) => ::rift::codegen::write_field(w, #wire, #id, e), }
    });
    let reads = exceptions.iter().map(|(v, t)| {
        let (wire, id) = (&t.name, proc_macro2::Literal::i16_unsuffixed(t.id));
        let tt = ttype(ctx.plan, &t.ty);
        quote! { (#id, #tt) => ::std::option::Option::Some(#exception::#v(::rift::codegen::read_field(r, #wire_result, #wire)?)), }
    });
    let displays =
        exceptions.iter().map(|(v, _)| quote! { #exception::#v(e) => ::std::fmt::Display::fmt(e, f), });
    let sources =
        exceptions.iter().map(|(v, _)| quote! { #exception::#v(e) => ::std::option::Option::Some(e), });
    // One `From` per exception type (two throws entries may share a type).
    let mut seen = Vec::new();
    let froms: Vec<TokenStream> = exceptions
        .iter()
        .filter(|(_, t)| {
            let key = ctx.ty(&t.ty).to_string();
            let new = !seen.contains(&key);
            seen.push(key);
            new
        })
        .map(|(v, t)| {
            let ty = ctx.ty(&t.ty);
            quote! {
                impl ::std::convert::From<#ty> for #exception {
                    fn from(e: #ty) -> Self {
                        #exception::#v(e)
                    }
                }

                impl ::std::convert::From<#ty> for ::rift::codegen::ServerError<#exception> {
                    fn from(e: #ty) -> Self {
                        ::rift::codegen::ServerError::Exception(#exception::#v(e))
                    }
                }
            }
        })
        .collect();
    let exception_doc = format!(" The exceptions `{}` declares.", f.name);
    quote! {
        #args_code

        #[doc = #exception_doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #exception {
            #(#variants)*
        }

        impl ::rift::codegen::Exceptions for #exception {
            fn encode_field<W: ::rift::codegen::ProtocolWriter + ?Sized>(&self, w: &mut W) -> ::rift::codegen::Result<()> {
                match self {
                    #(#writes)*
                }
            }

            fn decode_field<R: ::rift::codegen::ProtocolReader + ?Sized>(
                r: &mut R,
                field: ::rift::codegen::FieldHeader,
            ) -> ::rift::codegen::Result<::std::option::Option<Self>> {
                use ::rift::codegen::TType as T;
                ::std::result::Result::Ok(match (field.id, field.ttype) {
                    #(#reads)*
                    _ => ::std::option::Option::None,
                })
            }
        }

        impl ::std::fmt::Display for #exception {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#displays)*
                }
            }
        }

        impl ::std::error::Error for #exception {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#sources)*
                }
            }
        }

        impl ::std::convert::From<#exception> for ::rift::codegen::ServerError<#exception> {
            fn from(e: #exception) -> Self {
                ::rift::codegen::ServerError::Exception(e)
            }
        }

        #(#froms)*
    }
}

/// The variants of a function's exception enum.
fn exception_variants(f: &Function) -> Vec<proc_macro2::Ident> {
    let mut scope = Scope::new();
    f.throws.iter().map(|t| ident(&scope.claim(&camel(&t.name)))).collect()
}
