//! What the fuzz targets run, shared so that each target stays a few lines.

use std::collections::{BTreeMap, HashSet};

use rift::{ApplicationException, Decode, Limits, ProtocolReader, TType, Uuid};

/// Decodes a message envelope and a few value shapes from fresh readers.
pub fn decode_all<'a, R: ProtocolReader + 'a>(mut reader: impl FnMut() -> R) {
    let _ = reader().read_message_begin().map(|_| ApplicationException::decode(&mut reader()));
    let _ = Vec::<BTreeMap<String, Vec<i64>>>::decode(&mut reader());
    let _ = HashSet::<Vec<u8>>::decode(&mut reader());
    let _ = Vec::<Uuid>::decode(&mut reader());
    let _ = Vec::<f64>::decode(&mut reader());
    let _ = ApplicationException::decode(&mut reader());
}

/// Skips every type in every protocol.
pub fn skip_all(data: &[u8]) {
    use rift::protocol::binary::BinaryReader;
    use rift::protocol::compact::CompactReader;
    use rift::protocol::json::JsonReader;
    for ttype in [TType::Struct, TType::List, TType::Set, TType::Map, TType::String, TType::Uuid, TType::Double] {
        let _ = BinaryReader::new(data).skip(ttype);
        let _ = CompactReader::new(data).skip(ttype);
        let _ = JsonReader::new(data).skip(ttype);
    }
}

/// Reads a header frame and detects a client type.
pub fn header(data: &[u8]) {
    let _ = rift::header::detect(data);
    let _ = rift::header::read_frame(data, &Limits::default());
}

/// Any bytes as what a server's connection receives, fed in pieces of every size from
/// 1 to 64 bytes, through the whole server path without sockets: format detection,
/// zlib, framing, the envelope, a processor (which skips the arguments and answers
/// `UNKNOWN_METHOD`, or echoes them back as a string when they are one) and the reply's
/// framing.
pub fn stream(data: &[u8]) {
    use rift::connection::{ServerConnection, ServerEvent};
    let limits = Limits::default().max_message_size(1 << 20).max_frame_size(1 << 20);
    let Some((&step, data)) = data.split_first() else { return };
    let step = usize::from(step % 64) + 1;
    let mut conn = ServerConnection::new(None, limits);
    for piece in data.chunks(step) {
        conn.read_buffer().extend_from_slice(piece);
        if conn.received().is_err() {
            return;
        }
        loop {
            match conn.next_event() {
                Ok(ServerEvent::Request(request)) => {
                    let reply = if request.method() == "echo" {
                        match request.decode_args::<Echo>() {
                            Ok(args) => request.reply(&args),
                            Err(e) => request.protocol_error(&e),
                        }
                    } else {
                        request.unknown_method()
                    };
                    if conn.finish(Ok(reply), "fuzz").is_err() {
                        return;
                    }
                }
                Ok(ServerEvent::NeedBytes) => break,
                Ok(ServerEvent::Http(_)) | Err(_) => return,
            }
        }
    }
}

/// Arguments of one string field, as the processor of [`stream`] reads them.
struct Echo(Option<String>);

impl rift::Decode for Echo {
    const TTYPE: rift::TType = rift::TType::Struct;

    fn decode<R: rift::ProtocolReader + ?Sized>(r: &mut R) -> rift::Result<Self> {
        let mut text = None;
        r.read_struct_begin()?;
        loop {
            let field = r.read_field_begin()?;
            match (field.id, field.ttype) {
                (_, rift::TType::Stop) => break,
                (1, rift::TType::String) => text = Some(r.read_string()?),
                (_, ttype) => r.skip(ttype)?,
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        Ok(Echo(text))
    }
}

impl rift::Encode for Echo {
    const TTYPE: rift::TType = rift::TType::Struct;

    fn encode<W: rift::ProtocolWriter + ?Sized>(&self, w: &mut W) -> rift::Result<()> {
        w.write_struct_begin("result")?;
        if let Some(text) = &self.0 {
            w.write_field_begin("success", rift::TType::String, 0)?;
            w.write_string(text)?;
            w.write_field_end()?;
        }
        w.write_field_stop()?;
        w.write_struct_end()
    }
}
