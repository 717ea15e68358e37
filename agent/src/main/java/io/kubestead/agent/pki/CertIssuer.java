package io.kubestead.agent.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes certificates with kubeadm's X.509 profile (kubeadm.md 1.3). */
public final class CertIssuer {
    /** kubeadm's CertificateBackdate: NotBefore lies this far before "now" to absorb clock skew. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final BigInteger SERIAL_BOUND = BigInteger.valueOf(Long.MAX_VALUE - 1);

    private final SecureRandom random;

    public CertIssuer(SecureRandom random) {
        this.random = random;
    }

    /** A self-signed CA whose only SAN is its CN as a DNS name. */
    public X509Certificate selfSignedCa(String commonName, KeyPair keys, Instant now, Duration validity) {
        X500Name subject = name(commonName, List.of());
        return build(subject, subject, keys.getPublic(), keys.getPrivate(), keys.getPublic(), CertUsage.CA,
                new SubjectAltNames(List.of(commonName), List.of()), now, validity);
    }

    /** A leaf for {@code spec} on {@code publicKey}, signed by {@code ca}. */
    public X509Certificate leaf(CertSpec spec, PublicKey publicKey, CaPair ca, Instant now, Duration validity) {
        return leaf(name(spec.commonName(), spec.organizations()), spec.usage(), spec.sans(), publicKey, ca, now, validity);
    }

    /** A leaf with a given subject (renewal keeps the old one byte for byte). */
    public X509Certificate leaf(X500Name subject, CertUsage usage, SubjectAltNames sans, PublicKey publicKey, CaPair ca,
                                Instant now, Duration validity) {
        try {
            X500Name issuer = new JcaX509CertificateHolder(ca.cert()).getSubject();
            return build(subject, issuer, publicKey, ca.key(), ca.cert().getPublicKey(), usage, sans, now, validity);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read CA " + ca.kind().kubeadmName(), e);
        }
    }

    /** Go's pkix.Name order: O before CN. */
    public static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        for (String o : organizations) {
            b.addRDN(BCStyle.O, o);
        }
        return b.addRDN(BCStyle.CN, commonName).build();
    }

    /** The same name as the JDK sees it, to compare with {@link X509Certificate#getSubjectX500Principal()}. */
    public static javax.security.auth.x500.X500Principal nameAsPrincipal(String commonName, List<String> organizations) {
        try {
            return new javax.security.auth.x500.X500Principal(name(commonName, organizations).getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate build(X500Name subject, X500Name issuer, PublicKey subjectKey, PrivateKey signer,
                                  PublicKey issuerKey, CertUsage usage, SubjectAltNames sans, Instant now,
                                  Duration validity) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, subjectKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            boolean ca = usage == CertUsage.CA;
            int ku = KeyUsage.digitalSignature | KeyUsage.keyEncipherment | (ca ? KeyUsage.keyCertSign : 0);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
            List<KeyPurposeId> eku = switch (usage) {
                case CA -> List.of();
                case SERVER -> List.of(KeyPurposeId.id_kp_serverAuth);
                case CLIENT -> List.of(KeyPurposeId.id_kp_clientAuth);
                case SERVER_AND_CLIENT -> List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
            };
            if (!eku.isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(KeyPurposeId[]::new)));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            SubjectKeyIdentifier issuerSki = ext.createSubjectKeyIdentifier(issuerKey);
            if (ca) {
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            } else {
                b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerSki.getKeyIdentifier()));
            }
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, generalNames(sans));
            }
            String alg = KeyAlgorithm.of(issuerKey).signatureAlgorithm();
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make certificate " + subject + ": " + e.getMessage(), e);
        }
    }

    static GeneralNames generalNames(SubjectAltNames sans) {
        List<GeneralName> names = new ArrayList<>();
        sans.dns().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        for (InetAddress ip : sans.ips()) {
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Random in [1, 2^63-1), as kubeadm's rand.Int(MaxInt64-1)+1. */
    private BigInteger serial() {
        BigInteger s;
        do {
            s = new BigInteger(63, random);
        } while (s.compareTo(SERIAL_BOUND) >= 0);
        return s.add(BigInteger.ONE);
    }
}
