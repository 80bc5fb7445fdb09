# SPDX-License-Identifier: Apache-2.0
#
# Homebrew formula for apilogs. It builds from the release tarball that
# `make dist` produces (apilogs-VERSION.tar.gz); at a release, set url to
# where that tarball is published and sha256 to `shasum -a 256` of it.
#
# libcurl is linked (CURL_DLOPEN=0) against Homebrew's curl so that brew
# sees the dependency; the default build would dlopen libcurl.4.dylib.
class Apilogs < Formula
  desc "Read the CloudWatch logs of a serverless API, merged in time order"
  # PLACEHOLDERS until the project has a public home: homepage, url, sha256.
  homepage "https://github.com/apilogs/apilogs"
  url "https://github.com/apilogs/apilogs/releases/download/v0.1.0/apilogs-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "Apache-2.0"

  depends_on "pkgconf" => :build
  depends_on "cmocka" => :test
  depends_on "curl"
  depends_on "jansson"
  depends_on "openssl@3"
  depends_on "pcre2"

  def install
    ENV.prepend_path "PKG_CONFIG_PATH", Formula["curl"].opt_lib/"pkgconfig"
    ENV.prepend_path "PKG_CONFIG_PATH", Formula["openssl@3"].opt_lib/"pkgconfig"
    args = %W[
      PREFIX=#{prefix}
      MANDIR=#{man}
      BASHCOMPDIR=#{bash_completion}
      ZSHCOMPDIR=#{zsh_completion}
      FISHCOMPDIR=#{fish_completion}
      CURL_DLOPEN=0
      WERROR=0
      PKG_CONFIG=#{Formula["pkgconf"].opt_bin}/pkg-config
    ]
    system "make", *args
    system "make", "install", *args
  end

  test do
    assert_match "apilogs #{version}", shell_output("#{bin}/apilogs --version")
    assert_match "libcurl: libcurl/", shell_output("#{bin}/apilogs --version -v")
    # A usage error: one line on stderr and exit 2.
    output = shell_output("#{bin}/apilogs get --no-such-option 2>&1", 2)
    assert_match "apilogs: unknown option '--no-such-option'", output
    assert_match "complete -F _apilogs apilogs",
                 shell_output("#{bin}/apilogs completion bash")
  end
end
