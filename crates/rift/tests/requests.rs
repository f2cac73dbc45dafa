//! Requests as a processor sees them: malformed calls are answered, never an error.

use rift::bytes::Bytes;
use rift::protocol::binary::BinaryReader;
use rift::{
    ApplicationException, ApplicationExceptionKind, Decode, Limits, MessageType, Protocol, ProtocolReader,
    Request,
};

/// Found by the `processor` fuzz target: a call of a method the service does not have,
/// whose arguments end early, got no reply at all (the processor failed).
#[test]
fn unknown_methods_with_malformed_arguments_are_answered() {
    // A call of `nothing`, sequence id 9, with a struct that starts a string field and ends.
    let mut call = vec![0x80, 1, 0, 1, 0, 0, 0, 7];
    call.extend_from_slice(b"nothing");
    call.extend_from_slice(&[0, 0, 0, 9, 11, 0, 1, 0, 0, 0, 50, b'x']);
    let request = Request::new(Protocol::Binary, Bytes::from(call), Limits::default()).unwrap();
    let reply = request.unknown_method().expect("answered");
    let mut r = BinaryReader::new(reply.message().unwrap());
    let header = r.read_message_begin().unwrap();
    assert_eq!((header.kind, header.seq, &*header.name), (MessageType::Exception, 9, "nothing"));
    let e = ApplicationException::decode(&mut r).unwrap();
    assert_eq!(e.kind, ApplicationExceptionKind::ProtocolError, "{e:?}");

    // Well-formed arguments get UNKNOWN_METHOD, as before.
    let mut call = vec![0x80, 1, 0, 1, 0, 0, 0, 7];
    call.extend_from_slice(b"nothing");
    call.extend_from_slice(&[0, 0, 0, 9, 0]);
    let request = Request::new(Protocol::Binary, Bytes::from(call), Limits::default()).unwrap();
    let reply = request.unknown_method().unwrap();
    let mut r = BinaryReader::new(reply.message().unwrap());
    r.read_message_begin().unwrap();
    assert_eq!(ApplicationException::decode(&mut r).unwrap().kind, ApplicationExceptionKind::UnknownMethod);
}
