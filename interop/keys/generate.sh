#!/usr/bin/env bash
# Makes the TLS test keys of the cross test, with openssl: a CA, a certificate for the
# servers (localhost, 127.0.0.1, ::1) and one for the clients, each signed by the CA,
# valid for 100 years. They are test fixtures, checked in so that every run uses the
# same ones; run this again only to replace them.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
ext=$(mktemp)
trap 'rm -f "$ext" ./*.csr ca.srl ca.key' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -days "$days" -subj "/CN=rift cross-test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt

for side in server client; do
  openssl ecparam -name prime256v1 -genkey -noout -out "$side.key.ec"
  # PKCS#8, which every peer's library reads.
  openssl pkcs8 -topk8 -nocrypt -in "$side.key.ec" -out "$side.key"
  rm "$side.key.ec"
  openssl req -new -key "$side.key" -subj "/CN=rift cross-test $side" -out "$side.csr"
  if [ "$side" = server ]; then
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$ext"
  else
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,IP:::ffff:127.0.0.1\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' >"$ext"
  fi
  openssl x509 -req -in "$side.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -extfile "$ext" \
    -out "$side.crt"
done
echo "generate.sh: ca.crt, server.crt/key and client.crt/key written"
