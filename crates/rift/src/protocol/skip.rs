//! Skipping values whatever they hold: what a reader does with fields it does not know,
//! and how an unframed stream finds where a message ends.

use super::ProtocolReader;
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::TType;

/// Reads and discards a value; what [`ProtocolReader::skip`] does.
pub fn skip<R: ProtocolReader + ?Sized>(r: &mut R, ttype: TType) -> Result<()> {
    let max = r.max_skip_depth();
    skip_nested(r, ttype, max)
}

fn skip_nested<R: ProtocolReader + ?Sized>(r: &mut R, ttype: TType, levels: usize) -> Result<()> {
    let nested = matches!(ttype, TType::Struct | TType::List | TType::Set | TType::Map);
    if nested && levels == 0 {
        return Err(Error::new(ErrorKind::DepthLimit, "skipped values nest deeper than the depth limit"));
    }
    let skip = |r: &mut R, t: TType| skip_nested(r, t, levels - 1);
    match ttype {
        TType::Bool => r.read_bool().map(drop),
        TType::I8 => r.read_i8().map(drop),
        TType::I16 => r.read_i16().map(drop),
        TType::I32 => r.read_i32().map(drop),
        TType::I64 => r.read_i64().map(drop),
        TType::Double => r.read_double().map(drop),
        // Skipped strings are not checked to be UTF-8: they may be `binary`.
        TType::String => r.skip_binary(),
        TType::Uuid => r.read_uuid().map(drop),
        TType::Struct => {
            r.read_struct_begin()?;
            loop {
                let field = r.read_field_begin()?;
                if field.ttype == TType::Stop {
                    break;
                }
                skip(r, field.ttype)?;
                r.read_field_end()?;
            }
            r.read_struct_end()
        }
        TType::List | TType::Set => {
            let header = if ttype == TType::List { r.read_list_begin()? } else { r.read_set_begin()? };
            if !r.skip_elements(header.elem, header.len)? {
                for _ in 0..header.len {
                    skip(r, header.elem)?;
                }
            }
            if ttype == TType::List { r.read_list_end() } else { r.read_set_end() }
        }
        TType::Map => {
            let header = r.read_map_begin()?;
            for _ in 0..header.len {
                skip(r, header.key)?;
                skip(r, header.value)?;
            }
            r.read_map_end()
        }
        TType::Stop | TType::Void => Err(Error::invalid(format!("cannot skip a value of type {ttype:?}"))),
    }
}
