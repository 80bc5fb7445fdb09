#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make demo: apilogs against a sample serverless API in a local emulator.

Starts moto_server on a free loopback port, seeds the 'shop' REST API of
tests/integration/sample_api.py (resources /orders, /orders/{id}, /users
and /health, two Lambda functions behind them, an alias, stage variables,
a Lambda authorizer, execution and access logging) with ten minutes of
realistic API Gateway and Lambda logs (one error, one timeout), then runs

    apilogs sources --api-id ID --stage prod
    apilogs get --api-id ID --stage prod --start 15m
    apilogs get --api-id ID --stage prod --watch      (about 8 s)

while new requests are simulated, and stops the emulator. Nothing here
talks to AWS: the credentials are dummies and every endpoint is local.

usage: python3 scripts/demo.py [path/to/apilogs]
"""

import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import harness  # noqa: E402  (says how to install moto when it is missing)
from sample_api import SampleApi, Traffic, now_ms  # noqa: E402

WATCH_SECONDS = 8


def say(text):
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    print("\n%s==> %s%s" % ("\033[1m" if bold else "", text,
                            "\033[0m" if bold else ""), flush=True)


def environment(moto):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": "demo",
        "AWS_SECRET_ACCESS_KEY": "demo",
        "AWS_REGION": harness.REGION,
        "AWS_ENDPOINT_URL": moto.url,
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    return env


def run(apilogs, env, *args):
    print("$ apilogs " + " ".join(args), flush=True)
    return subprocess.run([apilogs] + list(args), env=env).returncode


def watch(apilogs, env, api, traffic, logs):
    args = ["get", "--api-id", api.api_id, "--stage", "prod", "--watch",
            "--start", "5s"]
    print("$ apilogs " + " ".join(args), flush=True)
    p = subprocess.Popen([apilogs] + args, env=env)
    try:
        time.sleep(1.5)
        for verb, path, resource, fn, qual, auth, python in (
                ("GET", "/orders", "/orders", api.ORDERS, "live", True,
                 False),
                ("GET", "/users", "/users", api.USERS, None, False, True),
                ("GET", "/orders/42", "/orders/{id}", api.ORDERS, None,
                 True, False)):
            traffic.request(now_ms(), verb, path, resource, fn, qual,
                            authorized=auth, python=python,
                            lines=["live request %s %s" % (verb, path)])
            traffic.flush(logs)
            time.sleep(2)
        time.sleep(max(0.0, WATCH_SECONDS - 1.5 - 6))
    finally:
        p.send_signal(signal.SIGINT)
        try:
            return p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            return p.wait()


def main():
    apilogs = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                              else os.path.join(ROOT, "build", "apilogs"))
    if not os.access(apilogs, os.X_OK):
        sys.exit("demo: %s is not built (run make)" % apilogs)
    say("Starting a local AWS emulator (moto_server)")
    moto = harness.Moto().start()
    try:
        print("moto_server %s (pid %d)" % (moto.url, moto.proc.pid))
        say("Creating the 'shop' REST API: 4 resources, 3 Lambda functions "
            "(one via an alias and stage variables, one authorizer), "
            "execution and access logging on stage prod")
        api = SampleApi(moto).build()
        logs = moto.client("logs")
        traffic = Traffic(api, seed=int(time.time()))
        reqs = traffic.scenario(now_ms() - 10 * 60 * 1000, step=50000)
        n = traffic.flush(logs)
        print("API %s: simulated %d requests over the last 10 minutes "
              "(%d log events, one error, one timeout)"
              % (api.api_id, len(reqs), n))
        env = environment(moto)

        say("Which log groups are behind the API, and why")
        rc = run(apilogs, env, "sources", "--api-id", api.api_id,
                 "--stage", "prod")

        say("Every log line of the API and its functions, merged in time "
            "order")
        rc = rc or run(apilogs, env, "get", "--api-id", api.api_id,
                       "--stage", "prod", "--start", "15m")

        say("Following the API live for %d s while new requests arrive "
            "(Ctrl-C ends --watch)" % WATCH_SECONDS)
        rc = rc or watch(apilogs, env, api, traffic, logs)

        slow = [r for r in reqs if r.status == 502][-1]
        say("One request across API Gateway and Lambda: the one that timed "
            "out, from the x-amzn-RequestId its client got")
        rc = rc or run(apilogs, env, "trace", slow.apigw_id, "--api-id",
                       api.api_id, "--stage", "prod", "--start", "1h")


        say("Done. On AWS: apilogs get --api-id YOUR_API --stage prod "
            "--watch (see docs/discovery.md for the IAM permissions)")
        return rc
    finally:
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
