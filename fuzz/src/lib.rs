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
/// 1 to 64 bytes: format detection, zlib, framing and message cutting.
pub fn stream(data: &[u8]) {
    let limits = Limits::default().max_message_size(1 << 20).max_frame_size(1 << 20);
    let Some((&step, data)) = data.split_first() else { return };
    let step = usize::from(step % 64) + 1;
    let mut conduit = rift::transport::Conduit::detecting(limits);
    for piece in data.chunks(step) {
        conduit.read_buffer().extend_from_slice(piece);
        if conduit.received().is_err() {
            return;
        }
        loop {
            match conduit.decode() {
                Ok(Some(frame)) => {
                    let _ = rift::service::Request::new(frame.format.protocol(), frame.message, limits);
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
}
