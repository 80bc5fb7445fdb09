# SPDX-License-Identifier: Apache-2.0
"""A request signed by apilogs is accepted by moto with signature checks on.

moto verifies SigV4 (with botocore) after INITIAL_NO_AUTH_ACTION_COUNT
unauthenticated calls; the first three create an IAM user with a policy and
an access key. Only POST calls can be checked this way (moto also rejects
correctly signed GETs; see moto-emulator.md), and CloudWatch Logs is
POST-only, which is what matters most.
"""

import json
import unittest

from harness import ApilogsTestCase, Moto


class TestSignatureAccepted(ApilogsTestCase):
    @classmethod
    def setUpClass(cls):
        cls.strict = Moto(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"}).start()
        iam = cls.strict.client("iam")
        iam.create_user(UserName="apilogs")
        iam.put_user_policy(UserName="apilogs", PolicyName="all",
                            PolicyDocument=json.dumps({
                                "Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow",
                                               "Action": "*",
                                               "Resource": "*"}]}))
        key = iam.create_access_key(UserName="apilogs")["AccessKey"]
        cls.key_id = key["AccessKeyId"]
        cls.secret = key["SecretAccessKey"]
        import boto3
        cls.logs_strict = boto3.client(
            "logs", region_name="us-east-1", endpoint_url=cls.strict.url,
            aws_access_key_id=cls.key_id, aws_secret_access_key=cls.secret)
        cls.logs_strict.create_log_group(logGroupName="/signed/ok")

    @classmethod
    def tearDownClass(cls):
        cls.strict.stop()

    def env(self, secret):
        return {"AWS_ENDPOINT_URL": self.strict.url,
                "AWS_ACCESS_KEY_ID": self.key_id,
                "AWS_SECRET_ACCESS_KEY": secret}

    def test_signed_post_accepted(self):
        r = self.run_apilogs("groups", env=self.env(self.secret))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "/signed/ok\n")

    def test_wrong_secret_rejected(self):
        r = self.run_apilogs("groups", env=self.env(self.secret + "x"))
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(r.stdout, "")
        self.assertIn("SignatureDoesNotMatch", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertNotIn(self.secret, r.stderr)


if __name__ == "__main__":
    unittest.main()
