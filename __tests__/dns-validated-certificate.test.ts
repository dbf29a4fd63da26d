import "cdktf/lib/testing/adapters/jest";
import { TerraformOutput } from "cdktf";
import { DnsValidatedCertificate } from "../constructs/dns-validated-certificate";
import { blockOf, nameOf, ref, synth, testStack } from "./support/synth";
import { validate } from "./support/validate";
import { CERTIFICATE_RULES } from "../constructs/model/load-balancer";

function build(subjectAlternativeNames?: string[]) {
  const stack = testStack();
  const cert = new DnsValidatedCertificate(
    stack,
    "certificate",
    validate(
      "test/certificate",
      { rules: CERTIFICATE_RULES },
      { domainName: "api.example.com", subjectAlternativeNames, hostedZoneId: "Z123" },
    ),
  );
  new TerraformOutput(stack, "certificate_arn", { value: cert.certificateArn });
  return { cert, json: synth(stack) };
}

describe("DnsValidatedCertificate", () => {
  test("requests a DNS-validated certificate that is replaced create-before-destroy", () => {
    const { cert, json } = build(["www.example.com"]);
    expect(blockOf(json, cert.certificate)).toMatchObject({
      domain_name: "api.example.com",
      subject_alternative_names: ["www.example.com"],
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
  });

  test("keys the validation records by the configured names, known even while the certificate is replaced", () => {
    const { cert, json } = build(["www.example.com"]);
    const certificate = `aws_acm_certificate.${nameOf(cert.certificate)}`;
    const byName = `{ for key, val in toset(tolist(${certificate}.domain_validation_options)): val.domain_name => val }`;
    expect(blockOf(json, cert.validationRecords)).toMatchObject({
      for_each: '${toset(["api.example.com", "www.example.com"])}',
      zone_id: "Z123",
      name: `\${${byName}[each.key].resource_record_name}`,
      type: `\${${byName}[each.key].resource_record_type}`,
      records: [`\${${byName}[each.key].resource_record_value}`],
      ttl: 60,
      allow_overwrite: true,
    });
    expect(JSON.stringify(json)).not.toMatch(/domain_validation_options\[\d\]|domain_validation_options\.\d/);
  });

  test("sets the alternative names even when there are none, so removing the last one replaces the certificate", () => {
    const { cert, json } = build();
    expect(blockOf(json, cert.certificate).subject_alternative_names).toEqual([]);
  });

  test("waits for validation and hands out the ARN of the validation resource", () => {
    const { cert, json } = build();
    expect(blockOf(json, cert.validation)).toMatchObject({
      certificate_arn: ref(cert.certificate, "arn"),
      validation_record_fqdns: `\${[ for key, val in aws_route53_record.${nameOf(cert.validationRecords)}: val.fqdn]}`,
    });
    expect(json.output?.certificate_arn?.value).toBe(ref(cert.validation, "certificate_arn"));
  });

  test.each([
    ["a malformed domain", "api..example.com", /domainName: got 'api\.\.example\.com'/],
    [
      "a wildcard",
      "*.example.com",
      /domainName: got '\*\.example\.com'; allowed: a lowercase fully qualified domain name/,
    ],
  ])("fails on %s", (_, domainName, message) => {
    expect(() =>
      validate("test/c", { rules: CERTIFICATE_RULES }, { domainName, hostedZoneId: "Z1" }),
    ).toThrow(message);
  });
});
