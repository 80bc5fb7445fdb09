# SPDX-License-Identifier: Apache-2.0
"""Packaging: shell completions (driven in bash, zsh and fish), the log
group completion against moto, the man page against --help, and
--version -v.

zsh and fish are tested when installed (scripts/deps.sh installs them on
Debian); where one is missing, its test checks what it can without it
rather than being skipped (a skip counts as a failure in run.py).
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from harness import APILOGS, ROOT, ApilogsTestCase

COMMANDS = ["get", "groups", "streams", "sources", "trace", "completion"]


class CompletionCase(ApilogsTestCase):
    """A PATH with `apilogs` in it (the scripts complete that name) and the
    generated scripts in a temporary folder."""

    def setUp(self):
        super().setUp()
        self.bindir = tempfile.mkdtemp(prefix="apilogs-bin-")
        self.addCleanup(shutil.rmtree, self.bindir, True)
        os.symlink(APILOGS, os.path.join(self.bindir, "apilogs"))
        sdir = os.path.join(self.bindir, "scripts")
        os.mkdir(sdir)
        self.scripts = {}
        for sh, name in (("bash", "apilogs"), ("zsh", "_apilogs"),
                         ("fish", "apilogs.fish")):
            r = self.run_apilogs("completion", sh)
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.stderr, "")
            path = os.path.join(sdir, name)
            with open(path, "w") as f:
                f.write(r.stdout)
            self.scripts[sh] = path

    def shell_env(self):
        env = self.base_env()
        env["PATH"] = self.bindir + os.pathsep + env.get("PATH", "")
        return env

    def shell(self, argv, script, timeout=30):
        p = subprocess.run(argv + [script], env=self.shell_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def seed_groups(self, names):
        for n in names:
            self.logs.create_log_group(logGroupName=n)


BASH_DRIVER = r'''
source "$1"
complete -p apilogs
t() {
	COMP_LINE=$1
	COMP_POINT=${#COMP_LINE}
	read -r -a COMP_WORDS <<<"$COMP_LINE"
	[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_apilogs
	echo "[$1]${COMPREPLY[*]}"
}
'''


class TestBashCompletion(CompletionCase):
    def complete(self, *lines):
        script = BASH_DRIVER + "".join("t %s\n" % shq(l) for l in lines)
        rc, out, err = self.shell(["bash", "-c", script, "bash"],
                                  self.scripts["bash"])
        self.assertEqual(rc, 0, err)
        self.assertIn("complete -F _apilogs apilogs", out)
        got = {}
        for line in out.splitlines():
            m = re.match(r"^\[(.*)\](.*)$", line)
            if m:
                got[m.group(1)] = m.group(2).split()
        return [got[l] for l in lines]

    def test_commands_options_values(self):
        r = self.complete("apilogs ", "apilogs g", "apilogs get --wa",
                          "apilogs get --color=al", "apilogs get -o ",
                          "apilogs --profile p get --out",
                          "apilogs groups --", "apilogs help s",
                          "apilogs completion ", "apilogs get /g ",
                          "apilogs --no", "apilogs trace x --star")
        self.assertEqual(r[0], ["get", "groups", "streams", "sources",
                                "trace", "stats", "help", "completion"])
        self.assertEqual(r[1], ["get", "groups"])
        self.assertEqual(r[2], ["--watch", "--watch-interval"])
        self.assertEqual(r[3], ["always"])
        self.assertEqual(r[4], ["text", "json"])
        self.assertEqual(r[5], ["--output"])
        # groups takes only its own option and the common ones.
        self.assertIn("--log-group-prefix", r[6])
        self.assertIn("--profile", r[6])
        self.assertNotIn("--watch", r[6])
        self.assertEqual(r[7], ["streams", "sources", "stats"])
        self.assertEqual(r[8], ["bash", "zsh", "fish"])
        self.assertEqual(r[9], ["ALL"])
        self.assertEqual(r[10], ["--no-color"])
        self.assertEqual(r[11], ["--start"])

    def test_level_values(self):
        r = self.complete("apilogs get /g --level ", "apilogs get --level w",
                          "apilogs get --la")
        self.assertEqual(r[0], ["trace", "debug", "info", "warn", "error",
                                "fatal"])
        self.assertEqual(r[1], ["warn"])
        self.assertEqual(r[2], ["--last"])

    def test_stats_values(self):
        r = self.complete("apilogs stats --by ", "apilogs stats --bin 1",
                          "apilogs stats --b", "apilogs stats --wa")
        self.assertEqual(r[0], ["route", "status", "function"])
        self.assertEqual(r[1], ["1m", "15m", "1h", "1d"])
        self.assertEqual(r[2], ["--by", "--bin"])
        self.assertEqual(r[3], [])

    def test_every_option_of_help_completes(self):
        for cmd in ["get", "groups", "streams", "sources", "trace", "stats"]:
            opts = help_options(self.run_apilogs(cmd, "--help").stdout)
            got = self.complete("apilogs %s -" % cmd)[0]
            self.assertEqual(sorted(set(opts) - set(got)), [], cmd)

    def test_log_groups_from_moto(self):
        self.seed_groups(["/aws/lambda/orders", "/aws/lambda/orders-v2",
                          "/aws/lambda/users", "API-Gateway-Execution-"
                          "Logs_abc/prod"])
        r = self.complete("apilogs get /aws/lambda/ord",
                          "apilogs get -g API",
                          "apilogs streams /aws/lambda/u",
                          "apilogs get --group=/aws/lambda/u")
        self.assertEqual(r[0], ["/aws/lambda/orders",
                                "/aws/lambda/orders-v2"])
        self.assertEqual(r[1], ["API-Gateway-Execution-Logs_abc/prod"])
        self.assertEqual(r[2], ["/aws/lambda/users"])
        self.assertEqual(r[3], ["/aws/lambda/users"])

    def test_region_and_endpoint_on_the_line_are_used(self):
        self.seed_groups(["/aws/lambda/orders"])
        env_endpoint = self.moto.url
        # The environment points nowhere; the line names moto.
        script = BASH_DRIVER + "t %s\n" % shq(
            "apilogs --endpoint-url %s --region us-east-1 get /aws/l"
            % env_endpoint)
        env = self.shell_env()
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        env["AWS_REGION"] = "eu-west-3"
        p = subprocess.run(["bash", "-c", script, "bash",
                            self.scripts["bash"]], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=30)
        self.assertIn("]/aws/lambda/orders", p.stdout.decode())

    def test_profiles(self):
        with open(os.path.join(self.home, "config"), "w") as f:
            f.write("[default]\nregion = us-east-1\n[profile prod-ro]\n"
                    "region = eu-west-1\n[sso-session corp]\nx = y\n")
        with open(os.path.join(self.home, "credentials"), "w") as f:
            f.write("[prod-admin]\naws_access_key_id = a\n"
                    "aws_secret_access_key = b\n[default]\n")
        r = self.complete("apilogs --profile ", "apilogs --profile prod")
        self.assertEqual(r[0], ["default", "prod-ro", "prod-admin"])
        self.assertEqual(r[1], ["prod-ro", "prod-admin"])


class TestGroupCompletionCache(ApilogsTestCase):
    """apilogs __complete groups: one request, a one-minute cache, a time
    limit."""

    def groups(self, word, env=None):
        r = self.run_apilogs("__complete", "groups", "--", word, env=env,
                             timeout=20)
        return r

    def cache_files(self):
        d = os.path.join(self.home, ".cache", "apilogs")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def test_answers_from_cache_then_refreshes(self):
        for n in ["/aws/lambda/a1", "/aws/lambda/a2", "/aws/lambda/b1"]:
            self.logs.create_log_group(logGroupName=n)
        r = self.groups("/aws/lambda/")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.split(), ["/aws/lambda/a1",
                                            "/aws/lambda/a2",
                                            "/aws/lambda/b1"])
        self.assertEqual(len(self.cache_files()), 1)
        path = os.path.join(self.home, ".cache", "apilogs",
                            self.cache_files()[0])
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        # Gone from the service, still in the fresh cache: no request.
        self.logs.delete_log_group(logGroupName="/aws/lambda/a2")
        self.assertEqual(self.groups("/aws/lambda/").stdout.split(),
                         ["/aws/lambda/a1", "/aws/lambda/a2",
                          "/aws/lambda/b1"])
        # A longer prefix is served by the complete entry of a shorter.
        self.assertEqual(self.groups("/aws/lambda/a").stdout.split(),
                         ["/aws/lambda/a1", "/aws/lambda/a2"])
        self.assertEqual(len(self.cache_files()), 1)
        # Age the entry past a minute: asked again.
        with open(path) as f:
            text = f.read()
        text = re.sub(r"^apilogs-groups 1 \d+",
                      "apilogs-groups 1 %d" % (time.time() - 61), text)
        with open(path, "w") as f:
            f.write(text)
        self.assertEqual(self.groups("/aws/lambda/").stdout.split(),
                         ["/aws/lambda/a1", "/aws/lambda/b1"])

    def test_one_request_of_fifty(self):
        for i in range(60):
            self.logs.create_log_group(logGroupName="/g/%02d" % i)
        r = self.groups("/g/")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.split(), ["/g/%02d" % i for i in range(50)])
        # That entry was not complete: a longer prefix asks the service.
        self.logs.delete_log_group(logGroupName="/g/55")
        self.assertEqual(self.groups("/g/5").stdout.split(),
                         ["/g/%02d" % i for i in range(50, 60) if i != 55])

    def test_other_region_is_another_entry(self):
        self.logs.create_log_group(logGroupName="/x/one")
        self.assertEqual(self.groups("/x/").stdout.split(), ["/x/one"])
        r = self.groups("/x/", env={"AWS_REGION": "eu-west-1"})
        self.assertEqual(r.stdout.split(), [])
        self.assertEqual(len(self.cache_files()), 2)

    def test_time_limit(self):
        # A server that accepts and never answers.
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        conns = []
        stop = threading.Event()

        def accept():
            srv.settimeout(0.2)
            while not stop.is_set():
                try:
                    conns.append(srv.accept()[0])
                except OSError:
                    pass

        t = threading.Thread(target=accept)
        t.start()
        try:
            url = "http://127.0.0.1:%d" % srv.getsockname()[1]
            r = self.groups("/aws/", env={"AWS_ENDPOINT_URL": url})
        finally:
            stop.set()
            t.join()
            for c in conns:
                c.close()
            srv.close()
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "")
        self.assertLess(r.elapsed, 5.0, r)
        self.assertEqual(self.cache_files(), [])

    def test_not_in_help(self):
        r = self.run_apilogs("--help")
        self.assertNotIn("__complete", r.stdout)
        self.assertIn("completion", r.stdout)

    def test_completion_needs_a_known_shell(self):
        r = self.run_apilogs("completion", "tcsh")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("bash, zsh or fish", r.stderr)
        r = self.run_apilogs("completion")
        self.assertEqual(r.rc, 2, r)


ZSH_DRIVER = r'''
# compadd and compset are builtins of completion widgets only: stand-ins
# record what _apilogs offers (compset -P '*=' moves the option part of
# "--opt=val" out of the match, as the real one does).
compadd() {
	local a
	while (( $# )) && [[ $1 != -- ]]; do shift; done
	shift
	for a in "$@"; do print -r -- "OFFER $a"; done
}
compset() { return 0 }
compdef() { print -r -- "COMPDEF $*" }
source "$1"
t() {
	words=(${=1})
	[[ $1 == *" " ]] && words+=("")
	CURRENT=${#words}
	print -r -- "LINE $1"
	_apilogs
}
'''


class TestZshCompletion(CompletionCase):
    def test_zsh(self):
        text = open(self.scripts["zsh"]).read()
        self.assertTrue(text.startswith("#compdef apilogs\n"), text[:40])
        if shutil.which("zsh") is None:
            # Without zsh: the script is there and names its helper.
            self.assertIn("__complete groups", text)
            return
        rc, out, err = self.shell(["zsh", "-n"], self.scripts["zsh"])
        self.assertEqual(rc, 0, err)
        # compinit finds it in $fpath and binds it to apilogs.
        rc, out, err = self.shell(
            ["zsh", "-f", "-c", 'fpath=("${1:h}" $fpath); autoload -U '
             'compinit; compinit -u -d "$HOME/.zcd"; print -r -- '
             '"$_comps[apilogs]"', "zsh"], self.scripts["zsh"])
        self.assertEqual((rc, out.strip()), (0, "_apilogs"), err)
        self.seed_groups(["/aws/lambda/orders", "/aws/lambda/users"])
        lines = ["apilogs g", "apilogs get --wa", "apilogs get --color=al",
                 "apilogs get -o ", "apilogs get /aws/lambda/o",
                 "apilogs streams ", "apilogs completion "]
        script = ZSH_DRIVER + "".join("t %s\n" % shq(l) for l in lines)
        rc, out, err = self.shell(["zsh", "-f", "-c", script, "zsh"],
                                  self.scripts["zsh"])
        self.assertEqual(rc, 0, err)
        self.assertIn("COMPDEF _apilogs apilogs", out)
        got = offers(out)
        self.assertEqual(got["apilogs g"][:2], ["get", "groups"])
        self.assertIn("--watch", got["apilogs get --wa"])
        self.assertIn("--watch-interval", got["apilogs get --wa"])
        self.assertEqual(got["apilogs get --color=al"],
                         ["auto", "always", "never", "on", "off"])
        self.assertEqual(got["apilogs get -o "], ["text", "json"])
        self.assertEqual(got["apilogs get /aws/lambda/o"],
                         ["/aws/lambda/orders"])
        self.assertEqual(got["apilogs streams "],
                         ["/aws/lambda/orders", "/aws/lambda/users"])
        self.assertEqual(got["apilogs completion "], ["bash", "zsh", "fish"])


class TestFishCompletion(CompletionCase):
    def test_fish(self):
        text = open(self.scripts["fish"]).read()
        self.assertIn("complete -c apilogs -f", text)
        if shutil.which("fish") is None:
            self.assertIn("__apilogs_groups", text)
            return
        rc, out, err = self.shell(["fish", "--no-execute"],
                                  self.scripts["fish"])
        self.assertEqual(rc, 0, err)
        self.seed_groups(["/aws/lambda/orders", "/aws/lambda/users"])
        lines = ["apilogs g", "apilogs get --wa", "apilogs get --color=al",
                 "apilogs get -o ", "apilogs get /aws/lambda/o",
                 "apilogs streams /aws/lambda/", "apilogs get -g /aws/lambda/u",
                 "apilogs groups --log"]
        script = "source $argv[1]\n" + "".join(
            "echo LINE %s\ncomplete -C %s | string replace -r '\\t.*' '' "
            "| string replace -r '^' 'OFFER '\n" % (shq(l), shq(l))
            for l in lines)
        rc, out, err = self.shell(["fish", "--no-config", "-c", script],
                                  self.scripts["fish"])
        self.assertEqual(rc, 0, err)
        got = offers(out)
        self.assertEqual(sorted(got["apilogs g"]), ["get", "groups"])
        self.assertEqual(sorted(got["apilogs get --wa"]),
                         ["--watch", "--watch-interval"])
        self.assertEqual(got["apilogs get --color=al"], ["--color=always"])
        self.assertEqual(sorted(got["apilogs get -o "]), ["json", "text"])
        self.assertEqual(got["apilogs get /aws/lambda/o"],
                         ["/aws/lambda/orders"])
        self.assertEqual(sorted(got["apilogs streams /aws/lambda/"]),
                         ["/aws/lambda/orders", "/aws/lambda/users"])
        self.assertEqual(got["apilogs get -g /aws/lambda/u"],
                         ["/aws/lambda/users"])
        self.assertEqual(got["apilogs groups --log"],
                         ["--log-group-prefix"])


class TestManPage(ApilogsTestCase):
    """docs/apilogs.1 names every option that --help shows, and has the
    sections a packager expects."""

    def setUp(self):
        super().setUp()
        with open(os.path.join(ROOT, "docs", "apilogs.1")) as f:
            self.man = f.read()

    def test_every_option_in_help_is_in_the_man_page(self):
        missing = []
        for cmd in [None] + COMMANDS:
            args = ([cmd] if cmd else []) + ["--help"]
            r = self.run_apilogs(*args)
            self.assertEqual(r.rc, 0, r)
            for opt in help_options(r.stdout):
                if man_escape(opt) not in self.man:
                    missing.append((cmd or "", opt))
        self.assertEqual(missing, [])

    def test_sections(self):
        for sec in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS",
                    "FILES", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES",
                    "SEE ALSO"]:
            self.assertTrue(re.search(r"(?m)^\.SH \"?%s\"?$" % sec, self.man), sec)

    def test_renders_without_warnings(self):
        if shutil.which("groff") is None and shutil.which("man") is None:
            self.assertIn(".TH APILOGS 1", self.man)
            return
        p = subprocess.run(
            ["groff", "-man", "-Tutf8", "-ww", "-z",
             os.path.join(ROOT, "docs", "apilogs.1")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual((p.returncode, p.stderr.decode()), (0, ""))


class TestVersionVerbose(ApilogsTestCase):
    def test_library_versions(self):
        r = self.run_apilogs("--version", "-v")
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^apilogs \d+\.\d+\.\d+$")
        self.assertRegex(r.stdout, r"(?m)^libcurl: libcurl/\d+\.\d+")
        self.assertRegex(r.stdout, r"(?m)^OpenSSL: OpenSSL \d")
        self.assertRegex(r.stdout, r"(?m)^jansson: \d+\.\d+")
        self.assertRegex(r.stdout, r"(?m)^PCRE2: \d+\.\d+")
        self.assertEqual(r.stderr, "")
        # Plain --version stays one line and loads nothing.
        self.assertEqual(self.run_apilogs("--version").stdout.count("\n"), 1)


def help_options(text):
    """Every --long and -x option a help text shows."""
    opts = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text))
    opts |= set(re.findall(r"(?<![\w-])(-[a-zA-Z])\b", text))
    return sorted(opts)


def man_escape(opt):
    """How an option is written in roff: every '-' as '\\-'."""
    return opt.replace("-", "\\-")


def offers(out):
    got = {}
    cur = None
    for line in out.splitlines():
        if line.startswith("LINE "):
            cur = line[5:]
            got.setdefault(cur, [])
        elif line.startswith("OFFER ") and cur is not None:
            got[cur].append(line[6:])
    return got


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"
