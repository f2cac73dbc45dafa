//! `rift decode`: the bytes of a message or a struct, shown as JSON by an IDL, for
//! debugging what is on the wire.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine;
use clap::{Args, ValueEnum};
use rift::bytes::Bytes;
use rift_dynamic::json::to_json;
use rift_dynamic::message::{detect, message_to_json};

use crate::{Failure, failed, load_schema, usage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Input {
    /// Told from the input: hex, else base64, else raw bytes
    Auto,
    /// The bytes as they are
    Raw,
    /// Hexadecimal text (whitespace ignored)
    Hex,
    /// Base64 text
    Base64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProtocolName {
    /// TBinaryProtocol
    Binary,
    /// TCompactProtocol
    Compact,
    /// TJSONProtocol
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The IDL file that describes the bytes
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The bytes, as hex or base64 text (default: standard input, in any of the forms)
    #[arg(value_name = "DATA")]
    data: Option<String>,

    /// Reads a struct of this type rather than a message (`Location`, `shared.Location`)
    #[arg(long = "type", value_name = "NAME")]
    type_name: Option<String>,

    /// The protocol (default: told from a message's first bytes)
    #[arg(long, value_enum)]
    protocol: Option<ProtocolName>,

    /// How the bytes are given
    #[arg(long, value_enum, default_value = "auto")]
    input: Input,

    /// Directory to search for included files (repeatable)
    #[arg(short = 'I', long = "include-dir", value_name = "DIR")]
    include_dirs: Vec<PathBuf>,
}

/// Exit codes: 0 decoded; 1 the bytes do not decode; 2 bad usage or IDL.
pub(crate) fn run(args: &DecodeArgs) -> Result<ExitCode, Failure> {
    let schema = load_schema(&args.file, &args.include_dirs)?;
    let given = match &args.data {
        Some(text) => text.clone().into_bytes(),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| usage(format!("cannot read standard input: {e}")))?;
            bytes
        }
    };
    let mut bytes = bytes_of(&given, args.input).map_err(usage)?;
    // A frame of the framed transport: its length, then the message.
    if bytes.len() >= 4
        && u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize == bytes.len() - 4
    {
        bytes.drain(..4);
    }
    let bytes = Bytes::from(bytes);
    let protocol = match args.protocol {
        Some(ProtocolName::Binary) => Some(rift::Protocol::Binary),
        Some(ProtocolName::Compact) => Some(rift::Protocol::Compact),
        Some(ProtocolName::Json) => Some(rift::Protocol::Json),
        None => None,
    };
    let shown = match &args.type_name {
        Some(name) => {
            let ty = schema
                .type_named(name)
                .ok_or_else(|| usage(format!("{} defines no type `{name}`", args.file.display())))?;
            let protocol = protocol.unwrap_or(rift::Protocol::Binary);
            rift_dynamic::codec::from_bytes(&schema, &ty, &bytes, protocol, rift::Limits::default())
                .map(|value| to_json(&schema, &ty, &value))
        }
        None => {
            let protocol = protocol.or_else(|| detect(&bytes)).ok_or_else(|| {
                failed(
                    "these bytes do not start a message of a strict binary, compact or JSON protocol; \
                     give --protocol (and --type NAME for a struct)",
                )
            })?;
            message_to_json(&schema, &bytes, protocol, rift::Limits::default())
        }
    };
    let json = shown.map_err(|e| failed(format!("the bytes do not decode: {e}")))?;
    outln!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}

/// The bytes the input stands for.
fn bytes_of(given: &[u8], input: Input) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(given).ok().map(|t| t.split_whitespace().collect::<String>());
    let hex = |t: &str| -> Option<Vec<u8>> {
        if !t.len().is_multiple_of(2) || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        (0..t.len()).step_by(2).map(|i| u8::from_str_radix(&t[i..i + 2], 16).ok()).collect()
    };
    let base64 = |t: &str| base64::engine::general_purpose::STANDARD.decode(t).ok();
    match input {
        Input::Raw => Ok(given.to_vec()),
        Input::Hex => text.as_deref().and_then(hex).ok_or_else(|| "the input is not hexadecimal".to_owned()),
        Input::Base64 => text.as_deref().and_then(base64).ok_or_else(|| "the input is not base64".to_owned()),
        Input::Auto => Ok(text
            .as_deref()
            .filter(|t| !t.is_empty())
            .and_then(|t| hex(t).or_else(|| base64(t)))
            .unwrap_or_else(|| given.to_vec())),
    }
}
