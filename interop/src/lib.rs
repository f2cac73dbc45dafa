//! rift's side of Apache Thrift's cross-language test: the handler of `ThriftTest` and
//! `SecondService` as the reference servers behave, and the command line options that
//! Apache's cross-test runner gives `test_server` and `test_client`.

use std::path::PathBuf;

use rift::codegen::Bytes;
use rift::transport::{Framing, WireFormat};
use rift::{ApplicationException, ApplicationExceptionKind, FastStr, Limits, Protocol, ServerError, Uuid};

/// The code generated from `idl/ThriftTest.thrift`.
pub mod idl {
    rift::include_generated!();
}

pub use idl::thrift_test::thrift_test_service::{TestExceptionException, TestMultiExceptionException};
pub use idl::thrift_test::{
    Insanity, Numberz, ThriftTest, ThriftTestBlocking, ThriftTestBlockingClient, ThriftTestBlockingProcessor,
    ThriftTestClient, ThriftTestProcessor, UserId, Xception, Xception2, Xtruct, Xtruct2,
};
pub use idl::thrift_test::{
    SecondService, SecondServiceBlocking, SecondServiceBlockingClient, SecondServiceBlockingProcessor,
    SecondServiceClient, SecondServiceProcessor,
};

type Map<K, V> = rift::codegen::HashMap<K, V>;
type Set<T> = rift::codegen::HashSet<T>;

/// The handler, as Apache's reference servers answer: echoes, the fixed answers of
/// `testMapMap`, `testInsanity` and `testMulti`, and the exceptions of `testException`
/// and `testMultiException`. Oneway calls are answered with nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Handler;

type R<T> = Result<T, ApplicationException>;

impl ThriftTestBlocking for Handler {
    fn test_void(&self) -> R<()> {
        Ok(())
    }
    fn test_string(&self, thing: FastStr) -> R<FastStr> {
        Ok(thing)
    }
    fn test_bool(&self, thing: bool) -> R<bool> {
        Ok(thing)
    }
    fn test_byte(&self, thing: i8) -> R<i8> {
        Ok(thing)
    }
    fn test_i32(&self, thing: i32) -> R<i32> {
        Ok(thing)
    }
    fn test_i64(&self, thing: i64) -> R<i64> {
        Ok(thing)
    }
    fn test_double(&self, thing: f64) -> R<f64> {
        Ok(thing)
    }
    fn test_binary(&self, thing: Bytes) -> R<Bytes> {
        Ok(thing)
    }
    fn test_uuid(&self, thing: Uuid) -> R<Uuid> {
        Ok(thing)
    }
    fn test_struct(&self, thing: Xtruct) -> R<Xtruct> {
        Ok(thing)
    }
    fn test_nest(&self, thing: Xtruct2) -> R<Xtruct2> {
        Ok(thing)
    }
    fn test_map(&self, thing: Map<i32, i32>) -> R<Map<i32, i32>> {
        Ok(thing)
    }
    fn test_string_map(&self, thing: Map<FastStr, FastStr>) -> R<Map<FastStr, FastStr>> {
        Ok(thing)
    }
    fn test_set(&self, thing: Set<i32>) -> R<Set<i32>> {
        Ok(thing)
    }
    fn test_list(&self, thing: Vec<i32>) -> R<Vec<i32>> {
        Ok(thing)
    }
    fn test_enum(&self, thing: Numberz) -> R<Numberz> {
        Ok(thing)
    }
    fn test_typedef(&self, thing: UserId) -> R<UserId> {
        Ok(thing)
    }
    fn test_map_map(&self, _hello: i32) -> R<Map<i32, Map<i32, i32>>> {
        let negative = (1..=4).map(|i| (-i, -i)).collect();
        let positive = (1..=4).map(|i| (i, i)).collect();
        Ok([(-4, negative), (4, positive)].into_iter().collect())
    }
    fn test_insanity(&self, argument: Insanity) -> R<Map<UserId, Map<Numberz, Insanity>>> {
        let first = [(Numberz::TWO, argument.clone()), (Numberz::THREE, argument)].into_iter().collect();
        let second = [(Numberz::SIX, Insanity::default())].into_iter().collect();
        Ok([(1, first), (2, second)].into_iter().collect())
    }
    fn test_multi(
        &self,
        arg0: i8,
        arg1: i32,
        arg2: i64,
        _arg3: Map<i16, FastStr>,
        _arg4: Numberz,
        _arg5: UserId,
    ) -> R<Xtruct> {
        Ok(Xtruct { string_thing: "Hello2".into(), byte_thing: arg0, i32_thing: arg1, i64_thing: arg2 })
    }
    fn test_exception(&self, arg: FastStr) -> Result<(), ServerError<TestExceptionException>> {
        match &*arg {
            "Xception" => Err(ServerError::Exception(TestExceptionException::Err1(Xception {
                error_code: 1001,
                message: arg,
            }))),
            "TException" => Err(ServerError::Application(ApplicationException::new(
                ApplicationExceptionKind::InternalError,
                "This is a TException",
            ))),
            _ => Ok(()),
        }
    }
    fn test_multi_exception(
        &self,
        arg0: FastStr,
        arg1: FastStr,
    ) -> Result<Xtruct, ServerError<TestMultiExceptionException>> {
        match &*arg0 {
            "Xception" => Err(ServerError::Exception(TestMultiExceptionException::Err1(Xception {
                error_code: 1001,
                message: "This is an Xception".into(),
            }))),
            "Xception2" => Err(ServerError::Exception(TestMultiExceptionException::Err2(Xception2 {
                error_code: 2002,
                struct_thing: Xtruct { string_thing: "This is an Xception2".into(), ..Default::default() },
            }))),
            _ => Ok(Xtruct { string_thing: arg1, ..Default::default() }),
        }
    }
    fn test_oneway(&self, _seconds_to_sleep: i32) -> R<()> {
        Ok(())
    }
}

/// The async handler answers as the blocking one.
impl ThriftTest for Handler {
    async fn test_void(&self) -> R<()> {
        ThriftTestBlocking::test_void(self)
    }
    async fn test_string(&self, thing: FastStr) -> R<FastStr> {
        ThriftTestBlocking::test_string(self, thing)
    }
    async fn test_bool(&self, thing: bool) -> R<bool> {
        ThriftTestBlocking::test_bool(self, thing)
    }
    async fn test_byte(&self, thing: i8) -> R<i8> {
        ThriftTestBlocking::test_byte(self, thing)
    }
    async fn test_i32(&self, thing: i32) -> R<i32> {
        ThriftTestBlocking::test_i32(self, thing)
    }
    async fn test_i64(&self, thing: i64) -> R<i64> {
        ThriftTestBlocking::test_i64(self, thing)
    }
    async fn test_double(&self, thing: f64) -> R<f64> {
        ThriftTestBlocking::test_double(self, thing)
    }
    async fn test_binary(&self, thing: Bytes) -> R<Bytes> {
        ThriftTestBlocking::test_binary(self, thing)
    }
    async fn test_uuid(&self, thing: Uuid) -> R<Uuid> {
        ThriftTestBlocking::test_uuid(self, thing)
    }
    async fn test_struct(&self, thing: Xtruct) -> R<Xtruct> {
        ThriftTestBlocking::test_struct(self, thing)
    }
    async fn test_nest(&self, thing: Xtruct2) -> R<Xtruct2> {
        ThriftTestBlocking::test_nest(self, thing)
    }
    async fn test_map(&self, thing: Map<i32, i32>) -> R<Map<i32, i32>> {
        ThriftTestBlocking::test_map(self, thing)
    }
    async fn test_string_map(&self, thing: Map<FastStr, FastStr>) -> R<Map<FastStr, FastStr>> {
        ThriftTestBlocking::test_string_map(self, thing)
    }
    async fn test_set(&self, thing: Set<i32>) -> R<Set<i32>> {
        ThriftTestBlocking::test_set(self, thing)
    }
    async fn test_list(&self, thing: Vec<i32>) -> R<Vec<i32>> {
        ThriftTestBlocking::test_list(self, thing)
    }
    async fn test_enum(&self, thing: Numberz) -> R<Numberz> {
        ThriftTestBlocking::test_enum(self, thing)
    }
    async fn test_typedef(&self, thing: UserId) -> R<UserId> {
        ThriftTestBlocking::test_typedef(self, thing)
    }
    async fn test_map_map(&self, hello: i32) -> R<Map<i32, Map<i32, i32>>> {
        ThriftTestBlocking::test_map_map(self, hello)
    }
    async fn test_insanity(&self, argument: Insanity) -> R<Map<UserId, Map<Numberz, Insanity>>> {
        ThriftTestBlocking::test_insanity(self, argument)
    }
    async fn test_multi(
        &self,
        arg0: i8,
        arg1: i32,
        arg2: i64,
        arg3: Map<i16, FastStr>,
        arg4: Numberz,
        arg5: UserId,
    ) -> R<Xtruct> {
        ThriftTestBlocking::test_multi(self, arg0, arg1, arg2, arg3, arg4, arg5)
    }
    async fn test_exception(&self, arg: FastStr) -> Result<(), ServerError<TestExceptionException>> {
        ThriftTestBlocking::test_exception(self, arg)
    }
    async fn test_multi_exception(
        &self,
        arg0: FastStr,
        arg1: FastStr,
    ) -> Result<Xtruct, ServerError<TestMultiExceptionException>> {
        ThriftTestBlocking::test_multi_exception(self, arg0, arg1)
    }
    async fn test_oneway(&self, seconds_to_sleep: i32) -> R<()> {
        ThriftTestBlocking::test_oneway(self, seconds_to_sleep)
    }
}

/// `SecondService`: `secondtestString(thing)` answers `testString("thing")`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Second;

impl SecondServiceBlocking for Second {
    fn secondtest_string(&self, thing: FastStr) -> R<FastStr> {
        Ok(format!("testString(\"{thing}\")").into())
    }
}

impl SecondService for Second {
    async fn secondtest_string(&self, thing: FastStr) -> R<FastStr> {
        SecondServiceBlocking::secondtest_string(self, thing)
    }
}

/// A protocol as the cross test names it: the wire protocol, and whether it is
/// multiplexed. The accelerated names of Apache's Python client (`accel`, `accelc`,
/// `multia`, `multiac`) are their wire protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolChoice {
    /// The protocol, `None` for THeader (with a binary payload).
    pub protocol: Option<Protocol>,
    /// Whether calls go through `TMultiplexedProtocol`.
    pub multiplexed: bool,
}

impl std::str::FromStr for ProtocolChoice {
    type Err = String;

    fn from_str(name: &str) -> Result<ProtocolChoice, String> {
        let (protocol, multiplexed) = match name {
            "binary" | "accel" => (Some(Protocol::Binary), false),
            "compact" | "accelc" => (Some(Protocol::Compact), false),
            "json" => (Some(Protocol::Json), false),
            "header" => (None, false),
            "multi" | "multia" => (Some(Protocol::Binary), true),
            "multic" | "multiac" => (Some(Protocol::Compact), true),
            "multij" => (Some(Protocol::Json), true),
            "multih" => (None, true),
            other => {
                return Err(format!(
                    "unknown protocol `{other}` (binary, compact, json, header, multi, multic, multij, multih, \
                     accel, accelc, multia, multiac)"
                ));
            }
        };
        Ok(ProtocolChoice { protocol, multiplexed })
    }
}

/// A transport as the cross test names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TransportName {
    /// Unframed (`TBufferedTransport`).
    Buffered,
    /// Length-prefixed frames (`TFramedTransport`).
    Framed,
    /// HTTP POST (`THttpClient`, `THttpServer`).
    Http,
    /// A zlib stream (`TZlibTransport`) over an unframed one.
    Zlib,
}

/// What both programs are told of the connection.
#[derive(Clone, Debug, clap::Args)]
pub struct Connection {
    /// The TCP port.
    #[arg(long, default_value_t = 9090)]
    pub port: u16,
    /// A Unix domain socket instead of TCP.
    #[arg(long = "domain-socket", value_name = "PATH")]
    pub domain_socket: Option<PathBuf>,
    /// TLS, both sides verifying each other's certificate.
    #[arg(long)]
    pub ssl: bool,
    /// This side's certificate (PEM) [default: the test keys of `interop/keys`].
    #[arg(long, value_name = "PEM")]
    pub cert: Option<PathBuf>,
    /// This side's private key (PEM) [default: the test keys of `interop/keys`].
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// The CA that signs the other side's certificate [default: `interop/keys/ca.crt`].
    #[arg(long, value_name = "PEM")]
    pub ca: Option<PathBuf>,
    /// The transport.
    #[arg(long, value_enum, default_value = "buffered")]
    pub transport: TransportName,
    /// A zlib stream (the same as `--transport zlib`).
    #[arg(long)]
    pub zlib: bool,
    /// The protocol: binary, compact, json, header, multi, multic, multij, multih (and
    /// Python's accel, accelc, multia, multiac, which are binary and compact on the wire).
    #[arg(long, default_value = "binary")]
    pub protocol: ProtocolChoice,
}

impl Connection {
    /// The wire format, `None` for HTTP (its body is the message) and THeader (whose
    /// servers take every client they can tell).
    pub fn wire_format(&self) -> Option<WireFormat> {
        let protocol = self.protocol.protocol?;
        let framing = match self.transport {
            TransportName::Http => return None,
            TransportName::Buffered | TransportName::Zlib => Framing::Unframed,
            TransportName::Framed => Framing::Framed,
        };
        let format = WireFormat::new(framing, protocol);
        Some(if self.zlib || self.transport == TransportName::Zlib { format.with_zlib() } else { format })
    }

    /// The format a client writes: as [`Connection::wire_format`], THeader included,
    /// and for HTTP the protocol of the body.
    pub fn client_format(&self) -> WireFormat {
        match (self.protocol.protocol, self.transport) {
            // THeader over the framed transport, as Apache's test programs stack them.
            (None, TransportName::Framed) => WireFormat::new(Framing::FramedHeader, Protocol::Binary),
            (None, _) => WireFormat::new(Framing::Header, Protocol::Binary),
            (Some(p), TransportName::Http) => WireFormat::new(Framing::Unframed, p),
            (Some(_), _) => self.wire_format().expect("a protocol and a transport other than HTTP"),
        }
    }

    /// A file of the test keys, or the one given.
    fn file(given: &Option<PathBuf>, default: &str) -> PathBuf {
        given.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("keys").join(default))
    }

    /// The PEM files: this side's certificate and key, and the CA of the other side.
    pub fn pem(&self, side: &str) -> std::io::Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
        let read = |path: PathBuf| {
            std::fs::read(&path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
        };
        Ok((
            read(Connection::file(&self.cert, &format!("{side}.crt")))?,
            read(Connection::file(&self.key, &format!("{side}.key")))?,
            read(Connection::file(&self.ca, "ca.crt"))?,
        ))
    }
}

/// The limits of `--string-limit` and `--container-limit`.
pub fn limits(string_limit: Option<usize>, container_limit: Option<usize>) -> Limits {
    let mut limits = Limits::default();
    if let Some(n) = string_limit {
        limits = limits.max_string_len(n);
    }
    if let Some(n) = container_limit {
        limits = limits.max_container_len(n);
    }
    limits
}

/// The reference client's `testInsanity` argument.
pub fn insanity_argument() -> Insanity {
    let user_map: Map<Numberz, UserId> = [(Numberz::FIVE, 5), (Numberz::EIGHT, 8)].into_iter().collect();
    let xtructs = vec![
        Xtruct { string_thing: "Goodbye4".into(), byte_thing: 4, i32_thing: 4, i64_thing: 4 },
        Xtruct { string_thing: "Hello2".into(), byte_thing: 2, i32_thing: 2, i64_thing: 2 },
    ];
    Insanity { user_map, xtructs }
}
