//! Code for services: handler traits (async and blocking), processors, clients (async
//! and blocking), and a module with each function's argument, result and exception
//! types.

use proc_macro2::TokenStream;
use quote::quote;
use rift_idl::model::{self, DefId, DefinitionKind, Function};

use crate::Options;
use crate::items::{FieldSpec, struct_code, ttype};
use crate::names::{Scope, camel, ident, segment};
use crate::plan::MethodNames;
use crate::types::{Ctx, doc};

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

pub(crate) fn service(ctx: Ctx<'_, '_>, def: &model::Definition, options: &Options) -> TokenStream {
    let DefinitionKind::Service(s) = &def.kind else { unreachable!() };
    let names = &ctx.plan.services[&def.id];
    let docs = doc(def.doc.as_deref());
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
            function_types(inner, f, m, shared, options)
        })
        .collect();
    let wire_service = &def.name;
    let methods = all_methods(ctx, def.id);

    // Handler traits: own functions; bases through supertraits.
    let (base, base_blocking) = match s.extends {
        Some(base) => {
            let base_names = &ctx.plan.services[&base];
            let prefix = ctx.plan.path_to(ctx.module, ctx.extra, ctx.plan.module_of(base));
            let prefix: Vec<_> = prefix.iter().map(|p| segment(p)).collect();
            let (h, b) = (ident(&base_names.handler), ident(&base_names.blocking));
            (quote! { #(#prefix::)* #h }, quote! { #(#prefix::)* #b })
        }
        None => (
            quote! { ::std::marker::Send + ::std::marker::Sync + 'static },
            quote! { ::std::marker::Send + ::std::marker::Sync + 'static },
        ),
    };
    let handler_methods = s.functions.iter().zip(&names.methods).map(|(f, m)| {
        let (sig_params, ret) = signature(ctx, def.id, f, m);
        let name = ident(&m.method);
        let fdoc = doc(f.doc.as_deref());
        quote! { #fdoc fn #name(&self, #(#sig_params),*) -> impl ::rift::codegen::Future<Output = #ret> + ::std::marker::Send; }
    });
    let blocking_methods = s.functions.iter().zip(&names.methods).map(|(f, m)| {
        let (sig_params, ret) = signature(ctx, def.id, f, m);
        let name = ident(&m.method);
        let fdoc = doc(f.doc.as_deref());
        quote! { #fdoc fn #name(&self, #(#sig_params),*) -> #ret; }
    });
    let handler = ident(&names.handler);
    let blocking = ident(&names.blocking);
    let processor = ident(&names.processor);
    let blocking_processor = ident(&names.blocking_processor);
    let client = ident(&names.client);
    let blocking_client = ident(&names.blocking_client);

    let dispatch = |is_async: bool| {
        if methods.is_empty() {
            return quote! { request.unknown_method() };
        }
        let arms = methods.iter().map(|m| dispatch_arm(ctx, m, is_async));
        quote! {
            match request.method() {
                #(#arms)*
                _ => request.unknown_method(),
            }
        }
    };
    let (async_dispatch, blocking_dispatch) = (dispatch(true), dispatch(false));
    let async_calls = methods.iter().map(|m| client_method(ctx, m, true));
    let blocking_calls = methods.iter().map(|m| client_method(ctx, m, false));
    let handler_doc = format!(
        " The handler of service `{wire_service}`: implement it, and serve it with [`{}`].",
        names.processor
    );
    let blocking_doc = format!(
        " The blocking handler of service `{wire_service}`, served by [`{}`].",
        names.blocking_processor
    );
    let module_doc = format!(" Argument, result and exception types of the functions of `{wire_service}`.");

    // The generated sentence first (it is the summary line), then the IDL's text.
    let gap = if docs.is_empty() {
        quote! {}
    } else {
        quote! { #[doc = ""] }
    };
    quote! {
        #[doc = #handler_doc]
        #gap
        #docs
        pub trait #handler: #base {
            #(#handler_methods)*
        }

        #[doc = #blocking_doc]
        #gap
        #docs
        pub trait #blocking: #base_blocking {
            #(#blocking_methods)*
        }

        /// Serves a handler: decodes each call, calls the handler, encodes the reply.
        #[derive(Debug, Clone)]
        pub struct #processor<H> {
            handler: H,
        }

        impl<H> #processor<H> {
            /// A processor for `handler`.
            pub fn new(handler: H) -> Self {
                #processor { handler }
            }

            /// The handler.
            pub fn handler(&self) -> &H {
                &self.handler
            }
        }

        impl<H: #handler> ::rift::codegen::Processor for #processor<H> {
            fn service_name(&self) -> &'static str {
                #wire_service
            }

            async fn process(&self, request: ::rift::codegen::Request) -> ::rift::codegen::Result<::rift::codegen::Reply> {
                #async_dispatch
            }
        }

        /// Serves a blocking handler.
        #[derive(Debug, Clone)]
        pub struct #blocking_processor<H> {
            handler: H,
        }

        impl<H> #blocking_processor<H> {
            /// A processor for `handler`.
            pub fn new(handler: H) -> Self {
                #blocking_processor { handler }
            }

            /// The handler.
            pub fn handler(&self) -> &H {
                &self.handler
            }
        }

        impl<H: #blocking> ::rift::codegen::BlockingProcessor for #blocking_processor<H> {
            fn service_name(&self) -> &'static str {
                #wire_service
            }

            fn process(&self, request: ::rift::codegen::Request) -> ::rift::codegen::Result<::rift::codegen::Reply> {
                #blocking_dispatch
            }
        }

        /// Calls the service through an async channel.
        #[derive(Debug, Clone)]
        pub struct #client<C> {
            channel: C,
        }

        impl<C: ::rift::codegen::Channel> #client<C> {
            /// A client calling through `channel`.
            pub fn new(channel: C) -> Self {
                #client { channel }
            }

            /// The channel.
            pub fn channel(&self) -> &C {
                &self.channel
            }

            #(#async_calls)*
        }

        /// Calls the service through a blocking channel.
        #[derive(Debug, Clone)]
        pub struct #blocking_client<C> {
            channel: C,
        }

        impl<C: ::rift::codegen::BlockingChannel> #blocking_client<C> {
            /// A client calling through `channel`.
            pub fn new(channel: C) -> Self {
                #blocking_client { channel }
            }

            /// The channel.
            pub fn channel(&self) -> &C {
                &self.channel
            }

            #(#blocking_calls)*
        }

        #[doc = #module_doc]
        pub mod #module {
            #(#types)*
        }
    }
}

/// The parameters and the return type of a handler method.
fn signature(
    ctx: Ctx<'_, '_>,
    service: DefId,
    f: &Function,
    m: &MethodNames,
) -> (Vec<TokenStream>, TokenStream) {
    let params = f
        .params
        .iter()
        .zip(&m.params)
        .map(|(p, name)| {
            let name = ident(name);
            let ty = param_type(ctx, p);
            quote! { #name: #ty }
        })
        .collect();
    let value = f.returns.as_ref().map_or_else(|| quote! { () }, |t| ctx.ty(t));
    let error = if f.throws.is_empty() {
        quote! { ::rift::codegen::ApplicationException }
    } else {
        let exception = ctx.service_item(service, &m.exception);
        quote! { ::rift::codegen::ServerError<#exception> }
    };
    (params, quote! { ::std::result::Result<#value, #error> })
}

fn param_type(ctx: Ctx<'_, '_>, p: &model::Field) -> TokenStream {
    let ty = ctx.ty(&p.ty);
    if p.requiredness == rift_idl::ast::Requiredness::Optional {
        quote! { ::std::option::Option<#ty> }
    } else {
        ty
    }
}

/// The types of one function: its arguments, and its exception enum (or, with `shared`,
/// an alias of the enum of an earlier function that declares the same exceptions).
fn function_types(
    ctx: Ctx<'_, '_>,
    f: &Function,
    m: &MethodNames,
    shared: Option<&str>,
    options: &Options,
) -> TokenStream {
    let args = ident(&m.args);
    let args_fields: Vec<FieldSpec<'_>> =
        f.params.iter().zip(&m.params).map(|(p, name)| FieldSpec::argument(ctx, p, name)).collect();
    let args_doc = format!(" The arguments of `{}`.", f.name);
    let orderable = f.params.iter().all(|p| ctx.plan.type_orderable(&p.ty));
    let args_code = struct_code(
        ctx,
        &args,
        &format!("{}_args", f.name),
        quote! { #[doc = #args_doc] },
        orderable,
        options,
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

/// The arm of a processor's `match` for one function.
fn dispatch_arm(ctx: Ctx<'_, '_>, m: &Method<'_>, is_async: bool) -> TokenStream {
    let f = m.function;
    let wire = &f.name;
    let method = ident(&m.names.method);
    let args = ctx.service_item(m.service, &m.names.args);
    let params = m.names.params.iter().map(|p| {
        let p = ident(p);
        quote! { a.#p }
    });
    let serve = match (f.oneway, is_async) {
        (false, true) => quote! { serve },
        (true, true) => quote! { serve_oneway },
        (false, false) => quote! { serve_blocking },
        (true, false) => quote! { serve_oneway_blocking },
    };
    let binding = if f.params.is_empty() {
        quote! { _ }
    } else {
        quote! { a }
    };
    let wait = if is_async {
        quote! { .await }
    } else {
        quote! {}
    };
    quote! {
        #wire => ::rift::codegen::#serve(&request, |#binding: #args| self.handler.#method(#(#params),*)) #wait,
    }
}

/// A client method for one function.
fn client_method(ctx: Ctx<'_, '_>, m: &Method<'_>, is_async: bool) -> TokenStream {
    let f = m.function;
    let wire = &f.name;
    let method = ident(&m.names.method);
    let args = ctx.service_item(m.service, &m.names.args);
    let params: Vec<_> = f
        .params
        .iter()
        .zip(&m.names.params)
        .map(|(p, name)| {
            let name = ident(name);
            let ty = param_type(ctx, p);
            quote! { #name: #ty }
        })
        .collect();
    let names: Vec<_> = m.names.params.iter().map(|p| ident(p)).collect();
    let fdoc = doc(f.doc.as_deref());
    let (asyncness, wait) =
        if is_async { (quote! { async }, quote! { .await }) } else { (quote! {}, quote! {}) };
    let build = quote! { &#args { #(#names),* } };
    if f.oneway {
        return quote! {
            #fdoc
            pub #asyncness fn #method(&self, #(#params),*) -> ::std::result::Result<(), ::rift::codegen::ClientError> {
                self.channel.oneway(#wire, #build) #wait
            }
        };
    }
    let value = f.returns.as_ref().map_or_else(|| quote! { () }, |t| ctx.ty(t));
    let error = if f.throws.is_empty() {
        quote! { ::rift::codegen::ClientError }
    } else {
        let exception = ctx.service_item(m.service, &m.names.exception);
        quote! { ::rift::codegen::ClientError<#exception> }
    };
    quote! {
        #fdoc
        pub #asyncness fn #method(&self, #(#params),*) -> ::std::result::Result<#value, #error> {
            self.channel.call(#wire, #build) #wait
        }
    }
}
