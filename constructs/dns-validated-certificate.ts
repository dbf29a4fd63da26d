import { Construct } from "constructs";
import { Fn, TerraformIterator } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { CERTIFICATE_RULES } from "./model/load-balancer";
import type { CertificateOptions } from "./model/load-balancer";
import { withGroupDefaults } from "./model/props";

export const VALIDATION_RECORD_TTL_SECONDS = 60;

export interface DnsValidatedCertificateProps extends CertificateOptions {
  /** Name the certificate is for, e.g. "api.example.com". */
  readonly domainName: string;
  /** @default [] */
  readonly subjectAlternativeNames?: readonly string[];
  /** Public hosted zone that holds the validation records. */
  readonly hostedZoneId: string;
}

/**
 * ACM certificate validated through DNS: one validation record per configured name, and an
 * `aws_acm_certificate_validation` that waits until the certificate is issued. The records'
 * for_each is keyed by the names as configured, not by `domain_validation_options`: those are
 * unknown while the certificate is being replaced (adding a name replaces it), and Terraform
 * refuses a for_each whose keys are unknown. Each record reads its values from the options by
 * name (a set, so never indexed).
 * `certificateArn` comes from that validation resource, so whatever uses it is created only once
 * the certificate is usable. The certificate is replaced create-before-destroy, because a
 * listener still uses the old one.
 */
export class DnsValidatedCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  public readonly validationRecords: Route53Record;
  public readonly validation: AcmCertificateValidation;
  /** ARN of the issued certificate (from the validation resource). */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const { subjectAlternativeNames: alternativeNames = [] } = withGroupDefaults(
      { rules: CERTIFICATE_RULES },
      props,
    );

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      // Always set, [] included: the attribute is also computed, so leaving it out when the last
      // name is removed would keep the names in the certificate while their records go.
      subjectAlternativeNames: [...alternativeNames],
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: { Name: props.domainName },
      lifecycle: { createBeforeDestroy: true },
    });
    const optionsByName = TerraformIterator.fromList(
      this.certificate.domainValidationOptions,
    ).forExpressionForMap("val.domain_name", "val");
    const names = TerraformIterator.fromList([props.domainName, ...alternativeNames]);
    const option = (attribute: string): string =>
      Fn.lookupNested(optionsByName, [names.key, attribute]) as string;
    this.validationRecords = new Route53Record(this, "validation_record", {
      forEach: names,
      zoneId: props.hostedZoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: VALIDATION_RECORD_TTL_SECONDS,
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: TerraformIterator.fromResources(this.validationRecords).pluckProperty(
        "fqdn",
      ) as unknown as string[],
    });
    this.certificateArn = this.validation.certificateArn;
  }
}
