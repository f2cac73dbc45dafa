//! TLS with rustls, for servers and clients, async and blocking.
//!
//! Configurations are rustls's own (`rustls::ServerConfig`, `rustls::ClientConfig`), so
//! anything rustls can do is available; [`server_config`] and [`client_config`] build
//! the usual ones from PEM: a server with its certificate chain and key, asking for client
//! certificates when given the CAs that sign them, and a client trusting given CAs, with
//! a certificate of its own when the server asks for one. Both use ring and rustls's
//! safe defaults: TLS 1.2 and 1.3 only, and their safe cipher suites.
//!
//! A server's TLS handshake is bounded by its handshake timeout (10 s unless set with
//! `.handshake_timeout(..)`), counted from when the connection is accepted; a client's
//! by its connect timeout (async) or its socket
//! timeouts (blocking).

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// A TLS configuration that could not be built.
#[derive(Debug)]
pub struct TlsError(String);

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsError {}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError(format!("cannot read the {what}: {e}")))?;
    if certs.is_empty() {
        return Err(TlsError(format!("the {what} holds no PEM certificate")));
    }
    Ok(certs)
}

fn private_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| TlsError(format!("cannot read the private key: {e}")))
}

fn roots(pem: &[u8], what: &str) -> Result<rustls::RootCertStore, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in certificates(pem, what)? {
        roots.add(cert).map_err(|e| TlsError(format!("a certificate of the {what} is not usable: {e}")))?;
    }
    Ok(roots)
}

/// A server configuration: its certificate chain and private key (PEM); with
/// `client_cas` (PEM), clients must present a certificate those CAs signed.
pub fn server_config(
    cert_chain: &[u8],
    key: &[u8],
    client_cas: Option<&[u8]>,
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(e.to_string()))?;
    let builder = match client_cas {
        Some(pem) => {
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots(pem, "client CA file")?),
                provider(),
            )
            .build()
            .map_err(|e| TlsError(format!("cannot verify clients: {e}")))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(certificates(cert_chain, "certificate chain")?, private_key(key)?)
        .map_err(|e| TlsError(format!("the certificate and key do not fit: {e}")))?;
    Ok(Arc::new(config))
}

/// A client configuration trusting the CAs in `cas` (PEM); with `identity` (certificate
/// chain and key, PEM), it presents a certificate when the server asks for one.
pub fn client_config(
    cas: &[u8],
    identity: Option<(&[u8], &[u8])>,
) -> Result<Arc<rustls::ClientConfig>, TlsError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(e.to_string()))?
        .with_root_certificates(roots(cas, "CA file")?);
    let config = match identity {
        Some((chain, key)) => builder
            .with_client_auth_cert(certificates(chain, "client certificate chain")?, private_key(key)?)
            .map_err(|e| TlsError(format!("the client certificate and key do not fit: {e}")))?,
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

/// The name a client checks the server's certificate against: `host` of `host:port`
/// (an IP address too).
pub(crate) fn server_name(name: &str) -> std::io::Result<rustls::pki_types::ServerName<'static>> {
    rustls::pki_types::ServerName::try_from(name.to_owned()).map_err(|e| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("bad TLS server name `{name}`: {e}"))
    })
}

/// The host part of `host:port` (`[::1]:9090` → `::1`).
pub(crate) fn host_of(addr: &str) -> &str {
    let host = addr.rsplit_once(':').map_or(addr, |(host, _)| host);
    host.trim_start_matches('[').trim_end_matches(']')
}

/// The name to check a server's certificate against: the one given, or the host of a
/// TCP endpoint.
pub(crate) fn name_for<'a>(
    given: Option<&'a str>,
    endpoint: &'a crate::Endpoint,
) -> std::io::Result<&'a str> {
    match (given, endpoint) {
        (Some(name), _) => Ok(name),
        (None, crate::Endpoint::Tcp(addr)) => Ok(host_of(addr)),
        (None, crate::Endpoint::Unix(_)) => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "TLS over a Unix socket needs a server name",
        )),
    }
}
