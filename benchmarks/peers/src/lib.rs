//! The peers' generated types for the standard workload, and the workload's messages
//! built with them exactly as `rift_benchmarks::workload` builds rift's.

#![allow(clippy::all, missing_docs, unused)]

/// Apache's `thrift` crate, code from `thrift --gen rs`.
pub mod apache {
    include!(concat!(env!("OUT_DIR"), "/apache/bench.rs"));
}

/// pilota, code from pilota-build.
pub mod pilota_gen {
    include!(concat!(env!("OUT_DIR"), "/pilota.rs"));
}

use std::collections::{BTreeMap, BTreeSet};

use rift_benchmarks::workload;

/// A rift message as Apache's generated type.
pub fn to_apache(r: &workload::Request) -> apache::Request {
    use thrift::OrderedFloat;
    apache::Request {
        seq: r.seq,
        user: r.user.to_string(),
        timestamp: r.timestamp,
        flag: r.flag,
        payload: Some(r.payload.clone()),
        items: Some(
            r.items
                .iter()
                .map(|i| apache::Item {
                    id: i.id,
                    name: i.name.to_string(),
                    location: i.location.as_ref().map(|p| apache::Point { lat: OrderedFloat(p.lat), lon: OrderedFloat(p.lon) }),
                    scores: Some(i.scores.clone()),
                    status: Some(apache::Status(i.status.0)),
                })
                .collect(),
        ),
        tags: Some(r.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        ids: Some(r.ids.iter().copied().collect()),
        ratio: Some(OrderedFloat(r.ratio)),
    }
}

/// A rift message as pilota's generated type.
pub fn to_pilota(r: &workload::Request) -> pilota_gen::pilota::bench::Request {
    use pilota_gen::pilota::bench as p;
    p::Request {
        seq: r.seq,
        user: r.user.to_string().into(),
        timestamp: r.timestamp,
        flag: r.flag,
        payload: Some(pilota::Bytes::from(r.payload.clone())),
        items: Some(
            r.items
                .iter()
                .map(|i| p::Item {
                    id: i.id,
                    name: i.name.to_string().into(),
                    location: i.location.as_ref().map(|pt| p::Point { lat: pt.lat, lon: pt.lon }),
                    scores: Some(i.scores.clone()),
                    status: Some(p::Status::from(i.status.0)),
                })
                .collect(),
        ),
        tags: Some(r.tags.iter().map(|(k, v)| (k.to_string().into(), v.to_string().into())).collect()),
        ids: Some(r.ids.iter().copied().collect()),
        ratio: Some(r.ratio),
    }
}

/// Encodes with Apache's crate (`compact` chooses the protocol).
pub fn apache_encode(message: &apache::Request, compact: bool, buf: &mut Vec<u8>) {
    use thrift::protocol::{TBinaryOutputProtocol, TCompactOutputProtocol, TSerializable};
    if compact {
        let mut proto = TCompactOutputProtocol::new(buf);
        message.write_to_out_protocol(&mut proto).unwrap();
    } else {
        let mut proto = TBinaryOutputProtocol::new(buf, true);
        message.write_to_out_protocol(&mut proto).unwrap();
    }
}

/// Decodes with Apache's crate.
pub fn apache_decode(data: &[u8], compact: bool) -> apache::Request {
    use thrift::protocol::{TBinaryInputProtocol, TCompactInputProtocol, TSerializable};
    if compact {
        apache::Request::read_from_in_protocol(&mut TCompactInputProtocol::new(data)).unwrap()
    } else {
        apache::Request::read_from_in_protocol(&mut TBinaryInputProtocol::new(data, true)).unwrap()
    }
}

/// Encodes with pilota.
pub fn pilota_encode(message: &pilota_gen::pilota::bench::Request, compact: bool, buf: &mut pilota::BytesMut) {
    use pilota::thrift::Message;
    if compact {
        message.encode(&mut pilota::thrift::compact::TCompactOutputProtocol::new(buf, false)).unwrap();
    } else {
        message.encode(&mut pilota::thrift::binary::TBinaryProtocol::new(buf, false)).unwrap();
    }
}

/// Decodes with pilota (zero-copy strings from the `Bytes`).
pub fn pilota_decode(data: &pilota::Bytes, compact: bool) -> pilota_gen::pilota::bench::Request {
    use pilota::thrift::Message;
    let mut bytes = data.clone();
    if compact {
        Message::decode(&mut pilota::thrift::compact::TCompactInputProtocol::new(&mut bytes)).unwrap()
    } else {
        Message::decode(&mut pilota::thrift::binary::TBinaryProtocol::new(&mut bytes, true)).unwrap()
    }
}

/// A peer server's command line: `--port N` (default 9090) and any of the switches
/// `known`; `None` after printing the usage.
pub fn server_args(program: &str, known: &[&str]) -> Option<(u16, Vec<String>)> {
    let mut port = 9090;
    let mut switches = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--port" {
            match args.next().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => {
                    eprintln!("{program}: --port wants a port number");
                    return None;
                }
            }
        } else if known.contains(&arg.as_str()) {
            switches.push(arg);
        } else {
            let usage: String = known.iter().map(|s| format!(" [{s}]")).collect();
            eprintln!("usage: {program} [--port N]{usage}");
            return None;
        }
    }
    Some((port, switches))
}
