#!/bin/sh
# Regenerates the constructed test PKI used by the sink tests (TestPki): a CA, a server certificate for
# 127.0.0.1, a client certificate (CN=probe-a) as PKCS#12 and as PEM (chain + PKCS#8 key), and an unrelated CA.
# Test material only, valid 100 years; made with the JDK's keytool (and openssl only to write the PEM key).
set -eu
cd "$(dirname "$0")"
P=changeit
KT="keytool -storetype PKCS12 -storepass $P"
rm -f ./*-constructed.* ./*.csr ./*.crt
gen() { $KT -genkeypair -keypass $P -keyalg EC -groupname secp256r1 -validity 36500 "$@"; }
gen -alias ca -dname "CN=dynport test CA (constructed)" -ext bc:c -keystore ca-constructed.p12
$KT -exportcert -rfc -alias ca -keystore ca-constructed.p12 -file ca-constructed.pem
issue() { # alias dname san eku
  gen -alias "$1" -dname "$2" -keystore "$1-constructed.p12"
  $KT -certreq -alias "$1" -keystore "$1-constructed.p12" -file "$1.csr"
  $KT -gencert -alias ca -keystore ca-constructed.p12 -infile "$1.csr" -outfile "$1.crt" -rfc -validity 36500 \
      -ext "$3" -ext "$4"
  $KT -importcert -noprompt -alias ca -file ca-constructed.pem -keystore "$1-constructed.p12"
  $KT -importcert -alias "$1" -file "$1.crt" -keystore "$1-constructed.p12"
}
issue server "CN=127.0.0.1" san=ip:127.0.0.1 eku=serverAuth
issue client "CN=probe-a" san=dns:probe-a eku=clientAuth
cat client.crt ca-constructed.pem > client-cert-constructed.pem
openssl pkcs12 -in client-constructed.p12 -passin pass:$P -nocerts -nodes | openssl pkcs8 -topk8 -nocrypt \
    > client-key-constructed.pem
gen -alias other -dname "CN=unrelated CA (constructed)" -ext bc:c -keystore other-constructed.p12
$KT -exportcert -rfc -alias other -keystore other-constructed.p12 -file other-ca-constructed.pem
rm -f ./*.csr ./*.crt other-constructed.p12 ca-constructed.p12
