/** What the e2e's interruption fault reads from Terraform's output: the creates in progress at the signal. */
import { stillCreating } from "../.ci/e2e/emulator";

test("lists the resources Terraform reported creating and not yet complete", () => {
  const output = [
    "aws_kms_key.logs_key_514BF2D1: Creating...",
    "aws_kms_key.secrets_key_4BAEB432: Creating...",
    'aws_route53_record.certificate_validation_record_617D7E70["api.dev.example.com"]: Creating...',
    "aws_kms_key.logs_key_514BF2D1: Creation complete after 13s [id=0f2c9f55]",
    "aws_kms_key.secrets_key_4BAEB432: Still creating... [10s elapsed]",
  ].join("\n");
  expect(stillCreating(output)).toEqual([
    "aws_kms_key.secrets_key_4BAEB432",
    'aws_route53_record.certificate_validation_record_617D7E70["api.dev.example.com"]',
  ]);
});
