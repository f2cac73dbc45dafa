//! rift's cross-test client: calls every method of `ThriftTest` (and `SecondService`
//! with a multiplexed protocol) with the reference client's values and edge cases,
//! checks every answer, and exits with the reference client's error flags: 1 base
//! types, 2 structs, 4 containers, 8 exceptions, 64 anything else (a call that could
//! not be made). The client checks that each reply carries its call's sequence id
//! (a reply that does not is an error of the call).

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use rift::{BlockingChannel, ClientError, Endpoint, FastStr, Uuid};
use rift_interop::{
    Connection, Insanity, Numberz, SecondServiceBlockingClient, TestExceptionException,
    TestMultiExceptionException, ThriftTestBlockingClient, TransportName, Xception, Xception2, Xtruct,
    Xtruct2, insanity_argument,
};

const BASE_TYPES: u8 = 1;
const STRUCTS: u8 = 2;
const CONTAINERS: u8 = 4;
const EXCEPTIONS: u8 = 8;
const UNKNOWN: u8 = 64;

/// Calls Apache Thrift's cross-test services and checks the answers.
#[derive(Parser, Debug)]
#[command(name = "test_client", version)]
struct Cli {
    #[command(flatten)]
    connection: Connection,
    /// The server's host.
    #[arg(long, default_value = "localhost")]
    host: String,
    /// How many times to run the tests.
    #[arg(short = 'n', long = "testloops", default_value_t = 1)]
    testloops: u32,
    /// The server was built from an IDL without `uuid` (Debian's compiler): skip
    /// `testUuid`.
    #[arg(long = "no-uuid")]
    no_uuid: bool,
    /// Leave out the values over 64 KB (for a server that cannot read them).
    #[arg(long)]
    small: bool,
    /// Leave out `testOneway` (for an HTTP server that answers a oneway call with no
    /// HTTP response, as C++ libthrift's does).
    #[arg(long = "skip-oneway")]
    skip_oneway: bool,
    /// Instead of the tests: check a server's limit on strings (`string`, with
    /// `testString`) or containers (`container`, with `testList`), as Apache's feature
    /// tests do: `limit - 1` and `limit` pass, `limit + 1` fails.
    #[arg(long = "limit-test", value_name = "string|container", requires = "limit")]
    limit_test: Option<String>,
    /// The server's limit, for `--limit-test`.
    #[arg(long)]
    limit: Option<usize>,
    /// Print each check.
    #[arg(short, long)]
    verbose: bool,
}

/// `--limit-test`: what the server's limit lets through, on a fresh connection each.
fn limit_test(cli: &Cli, kind: &str, limit: usize) -> ExitCode {
    let mut failed = 0;
    for n in [limit - 1, limit, limit + 1] {
        let client = match connect(cli, "ThriftTest") {
            Ok(client) => ThriftTestBlockingClient::new(client),
            Err(e) => {
                eprintln!("test_client: {e}");
                return ExitCode::from(UNKNOWN);
            }
        };
        let passed = match kind {
            "string" => client.test_string("x".repeat(n).into()).is_ok_and(|s| s.len() == n),
            "container" => {
                let list: Vec<i32> = (0..n as i32).collect();
                client.test_list(list.clone()).is_ok_and(|l| l == list)
            }
            other => {
                eprintln!("test_client: no limit test `{other}` (string, container)");
                return ExitCode::from(UNKNOWN);
            }
        };
        let want = n <= limit;
        println!("{kind} of {n} with a limit of {limit}: {}", if passed { "passed" } else { "refused" });
        if passed != want {
            println!("FAIL {kind} of {n}: expected it to be {}", if want { "passed" } else { "refused" });
            failed |= CONTAINERS;
        }
    }
    ExitCode::from(failed)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let (Some(kind), Some(limit)) = (&cli.limit_test, cli.limit) {
        return limit_test(&cli, kind, limit.max(1));
    }
    let mut run =
        Run { verbose: cli.verbose, failed: 0, checks: 0, large: !cli.small, oneway: !cli.skip_oneway };
    for _ in 0..cli.testloops.max(1) {
        match connect(&cli, "ThriftTest") {
            Ok(client) => run.all(&ThriftTestBlockingClient::new(client), !cli.no_uuid),
            Err(e) => {
                eprintln!("test_client: {e}");
                return ExitCode::from(UNKNOWN);
            }
        }
        // After the first client is gone (with its connections): a server that serves
        // one connection at a time, as Apache's Python HTTP server, then takes this one.
        if cli.connection.protocol.multiplexed {
            match connect(&cli, "SecondService") {
                Ok(client) => {
                    let got = SecondServiceBlockingClient::new(client).secondtest_string("foobar".into());
                    run.check(
                        BASE_TYPES,
                        "secondtestString(\"foobar\")",
                        got,
                        FastStr::from("testString(\"foobar\")"),
                    );
                }
                Err(e) => {
                    eprintln!("test_client: {e}");
                    return ExitCode::from(UNKNOWN);
                }
            }
        }
    }
    if run.failed == 0 {
        println!("test_client: {} checks passed", run.checks);
    } else {
        println!("test_client: failures (flags {})", run.failed);
    }
    ExitCode::from(run.failed)
}

/// The client, connected as the options say.
fn connect(cli: &Cli, service: &str) -> std::io::Result<rift::blocking::Client> {
    let c = &cli.connection;
    let endpoint = match &c.domain_socket {
        Some(path) => Endpoint::unix(path.clone()),
        None => Endpoint::tcp(format!("{}:{}", cli.host, c.port)),
    };
    let mut builder = rift::blocking::Client::builder(endpoint)
        .format(c.client_format())
        .read_timeout(Some(Duration::from_secs(10)))
        .write_timeout(Some(Duration::from_secs(10)));
    if c.protocol.multiplexed {
        builder = builder.multiplexed(service);
    }
    if c.ssl {
        let (cert, key, ca) = c.pem("client")?;
        let config = rift::tls::client_config(&ca, Some((&cert, &key))).map_err(std::io::Error::other)?;
        builder = builder.tls(config, Some(cli.host.clone()));
    }
    if c.transport == TransportName::Http {
        builder = builder.http("/");
    }
    builder.connect()
}

struct Run {
    verbose: bool,
    failed: u8,
    checks: usize,
    /// Whether to send values over 64 KB.
    large: bool,
    /// Whether to call `testOneway`.
    oneway: bool,
}

impl Run {
    /// Records the answer to one call: `want` it to be `expected`.
    fn check<T: Debug + PartialEq, E: Debug>(
        &mut self,
        flag: u8,
        what: &str,
        got: Result<T, E>,
        expected: T,
    ) {
        self.checks += 1;
        match got {
            Ok(got) if got == expected => {
                if self.verbose {
                    println!("ok   {what}");
                }
            }
            Ok(got) => {
                println!("FAIL {what}: got {got:?}, expected {expected:?}");
                self.failed |= flag;
            }
            Err(e) => {
                println!("FAIL {what}: {e:?}");
                self.failed |= flag;
            }
        }
    }

    /// Records a check that is not an equality.
    fn expect(&mut self, flag: u8, what: &str, ok: bool, detail: impl Debug) {
        self.checks += 1;
        if ok {
            if self.verbose {
                println!("ok   {what}");
            }
        } else {
            println!("FAIL {what}: {detail:?}");
            self.failed |= flag;
        }
    }

    fn all<C: BlockingChannel>(&mut self, client: &ThriftTestBlockingClient<C>, uuid: bool) {
        self.base_types(client, uuid);
        self.structs(client);
        self.containers(client);
        self.exceptions(client);
        if self.oneway {
            self.oneway(client);
        }
    }

    fn base_types<C: BlockingChannel>(&mut self, client: &ThriftTestBlockingClient<C>, uuid: bool) {
        self.check(BASE_TYPES, "testVoid()", client.test_void(), ());
        let strings = [
            "Test".to_owned(),
            String::new(),
            "Python".repeat(20),
            // Control characters and what JSON escapes.
            "\u{8}\t\n/\\\\\r{}:パイソン\"\u{1}\u{1f}".to_owned(),
            // Text in many scripts, and characters outside the basic plane.
            "Afrikaans Íslenska Ελληνικά Русский العربية עברית हिन्दी 中文 日本語 한국어 ไทย 🦀🎉".to_owned(),
        ];
        let large = if self.large { vec!["x".repeat(70_000)] } else { Vec::new() };
        for s in strings.into_iter().chain(large) {
            let what = format!("testString({:?})", truncated(&s));
            self.check(BASE_TYPES, &what, client.test_string(s.clone().into()), FastStr::from(s));
        }
        for b in [true, false] {
            self.check(BASE_TYPES, &format!("testBool({b})"), client.test_bool(b), b);
        }
        for v in [1, 0, -1, 63, -127, i8::MAX, i8::MIN] {
            self.check(BASE_TYPES, &format!("testByte({v})"), client.test_byte(v), v);
        }
        for v in [-1, 0, 1, 190_000_013, i32::MAX, i32::MIN] {
            self.check(BASE_TYPES, &format!("testI32({v})"), client.test_i32(v), v);
        }
        for v in [0, 1, -1, -34_359_738_368, 1 << 53, (1 << 53) + 1, i64::MAX, i64::MIN] {
            self.check(BASE_TYPES, &format!("testI64({v})"), client.test_i64(v), v);
        }
        for v in [
            0.0,
            -1.0,
            -5.235098235,
            -0.000_341_012_439_638_598_3,
            1e300,
            -1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            let got = client.test_double(v).map(f64::to_bits);
            self.check(BASE_TYPES, &format!("testDouble({v:e})"), got, v.to_bits());
        }
        let all_bytes: Vec<u8> = (0..=255).collect();
        let large = if self.large { vec![vec![0xff; 100_000]] } else { Vec::new() };
        for bytes in [all_bytes, Vec::new()].into_iter().chain(large) {
            let what = format!("testBinary({} bytes)", bytes.len());
            self.check(BASE_TYPES, &what, client.test_binary(bytes.clone().into()), bytes.into());
        }
        if uuid {
            let id = Uuid([
                0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
                0xff,
            ]);
            self.check(
                BASE_TYPES,
                "testUuid(00112233-4455-6677-8899-aabbccddeeff)",
                client.test_uuid(id),
                id,
            );
        }
    }

    fn structs<C: BlockingChannel>(&mut self, client: &ThriftTestBlockingClient<C>) {
        let xtruct = Xtruct { string_thing: "Zero".into(), byte_thing: 1, i32_thing: -3, i64_thing: -5 };
        self.check(STRUCTS, "testStruct", client.test_struct(xtruct.clone()), xtruct.clone());
        self.check(STRUCTS, "testStruct(default)", client.test_struct(Xtruct::default()), Xtruct::default());
        let nest = Xtruct2 { byte_thing: 1, struct_thing: xtruct, i32_thing: 5 };
        self.check(STRUCTS, "testNest", client.test_nest(nest.clone()), nest);
    }

    fn containers<C: BlockingChannel>(&mut self, client: &ThriftTestBlockingClient<C>) {
        let map: rift::codegen::HashMap<i32, i32> = (0..5).map(|i| (i, i - 10)).chain([(-1, -2)]).collect();
        self.check(CONTAINERS, "testMap", client.test_map(map.clone()), map);
        self.check(CONTAINERS, "testMap({})", client.test_map(Default::default()), Default::default());
        let strings: rift::codegen::HashMap<FastStr, FastStr> =
            [("a", "2"), ("b", "blah"), ("some", "thing"), ("", "empty"), ("ключ", "значение")]
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
        self.check(CONTAINERS, "testStringMap", client.test_string_map(strings.clone()), strings);
        let set: rift::codegen::HashSet<i32> = (-2..3).chain([8, 42, i32::MIN]).collect();
        self.check(CONTAINERS, "testSet", client.test_set(set.clone()), set);
        for list in [(-2..3).collect::<Vec<i32>>(), vec![1, 4, 9, -42], Vec::new()] {
            let what = format!("testList({list:?})");
            self.check(CONTAINERS, &what, client.test_list(list.clone()), list);
        }
        for e in [Numberz::ONE, Numberz::TWO, Numberz::FIVE, Numberz::EIGHT] {
            self.check(CONTAINERS, &format!("testEnum({e:?})"), client.test_enum(e), e);
        }
        for v in [309_858_235_082_523, 0xff_ffff_ffff_ffff] {
            self.check(CONTAINERS, &format!("testTypedef({v})"), client.test_typedef(v), v);
        }
        let got = client.test_map_map(1).map(|m| {
            m.into_iter()
                .map(|(k, v)| (k, v.into_iter().collect::<BTreeMap<_, _>>()))
                .collect::<BTreeMap<_, _>>()
        });
        let expected: BTreeMap<i32, BTreeMap<i32, i32>> =
            [(-4, (1..=4).map(|i| (-i, -i)).collect()), (4, (1..=4).map(|i| (i, i)).collect())]
                .into_iter()
                .collect();
        self.check(CONTAINERS, "testMapMap(1)", got, expected);

        let argument = insanity_argument();
        let got = client.test_insanity(argument.clone()).map(|m| {
            m.into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|(n, i)| (n.0, sorted(i))).collect::<BTreeMap<_, _>>()))
                .collect::<BTreeMap<_, _>>()
        });
        let expected: BTreeMap<i64, BTreeMap<i32, SortedInsanity>> = [
            (1, [(Numberz::TWO.0, sorted(argument.clone())), (Numberz::THREE.0, sorted(argument))].into()),
            (2, [(Numberz::SIX.0, sorted(Insanity::default()))].into()),
        ]
        .into();
        self.check(CONTAINERS, "testInsanity", got, expected);

        let arg3: rift::codegen::HashMap<i16, FastStr> = [(0, "abc".into())].into_iter().collect();
        let got = client.test_multi(74, 0xff00ff, 0xffff_ffff_d0d0, arg3, Numberz::FIVE, 0xf0f0f0);
        let expected = Xtruct {
            string_thing: "Hello2".into(),
            byte_thing: 74,
            i32_thing: 0xff00ff,
            i64_thing: 0xffff_ffff_d0d0,
        };
        self.check(STRUCTS, "testMulti", got, expected);
    }

    fn exceptions<C: BlockingChannel>(&mut self, client: &ThriftTestBlockingClient<C>) {
        let got = client.test_exception("Xception".into());
        let want = Xception { error_code: 1001, message: "Xception".into() };
        self.expect(
            EXCEPTIONS,
            "testException(\"Xception\")",
            matches!(&got, Err(ClientError::Exception(TestExceptionException::Err1(e))) if *e == want),
            &got,
        );
        let got = client.test_exception("TException".into());
        self.expect(
            EXCEPTIONS,
            "testException(\"TException\") is a TApplicationException",
            matches!(&got, Err(ClientError::Application(_))),
            &got,
        );
        self.check(EXCEPTIONS, "testException(\"success\")", client.test_exception("success".into()), ());

        let got = client.test_multi_exception("Xception".into(), "test 1".into());
        let want = Xception { error_code: 1001, message: "This is an Xception".into() };
        self.expect(
            EXCEPTIONS,
            "testMultiException(\"Xception\")",
            matches!(&got, Err(ClientError::Exception(TestMultiExceptionException::Err1(e))) if *e == want),
            &got,
        );
        let got = client.test_multi_exception("Xception2".into(), "test 2".into());
        let want = Xception2 {
            error_code: 2002,
            struct_thing: Xtruct { string_thing: "This is an Xception2".into(), ..Default::default() },
        };
        self.expect(
            EXCEPTIONS,
            "testMultiException(\"Xception2\")",
            matches!(&got, Err(ClientError::Exception(TestMultiExceptionException::Err2(e))) if *e == want),
            &got,
        );
        let got = client.test_multi_exception("success".into(), "test 3".into());
        self.check(
            EXCEPTIONS,
            "testMultiException(\"success\")",
            got,
            Xtruct { string_thing: "test 3".into(), ..Default::default() },
        );
    }

    fn oneway<C: BlockingChannel>(&mut self, client: &ThriftTestBlockingClient<C>) {
        let start = Instant::now();
        let sent = client.test_oneway(1);
        let elapsed = start.elapsed();
        self.expect(
            UNKNOWN,
            "testOneway(1) returns at once",
            sent.is_ok() && elapsed < Duration::from_secs(3),
            (sent, elapsed),
        );
        self.check(UNKNOWN, "testVoid() after testOneway", client.test_void(), ());
    }
}

/// An `Insanity` with its map in key order, to compare.
type SortedInsanity = (BTreeMap<i32, i64>, Vec<Xtruct>);

fn sorted(insanity: Insanity) -> SortedInsanity {
    (insanity.user_map.into_iter().map(|(k, v)| (k.0, v)).collect(), insanity.xtructs)
}

fn truncated(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}… ({} bytes)", s.chars().take(20).collect::<String>(), s.len())
    } else {
        s.to_owned()
    }
}
