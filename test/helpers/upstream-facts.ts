/**
 * Facts of upstream's generated Dockerfiles (shared/docs/upstream-facts.md §1.3, §1.4, §2):
 * for each version key and distro, the FROM image, the python packages the install list
 * starts with, and the `name` label. The render tests compare our Dockerfiles with these.
 */
export interface UpstreamDockerfile {
  key: string;
  distro: string;
  from: string;
  pythonPkgs: string[];
  name: string;
}

const el9full = ["python3", "python3-devel", "python3-setuptools", "python3-pip"];

export const UPSTREAM_DOCKERFILES: UpstreamDockerfile[] = [
  {
    key: "3.6",
    distro: "rhel8",
    from: "ubi8/s2i-base:1",
    pythonPkgs: ["python36", "python36-devel", "python3-virtualenv", "python3-setuptools", "python3-pip"],
    name: "ubi8/python-36",
  },
  { key: "3.9", distro: "c9s", from: "quay.io/sclorg/s2i-base-c9s:c9s", pythonPkgs: el9full, name: "sclorg/python-39-c9s" },
  { key: "3.9", distro: "rhel9", from: "ubi9/s2i-base:1", pythonPkgs: el9full, name: "ubi9/python-39" },
  { key: "3.9-minimal", distro: "c9s", from: "quay.io/centos/centos:stream9-minimal", pythonPkgs: ["python39"], name: "sclorg/python-39-minimal-c9s" },
  { key: "3.12", distro: "c10s", from: "quay.io/sclorg/s2i-base-c10s:c10s", pythonPkgs: el9full, name: "sclorg/python-312-c10s" },
  {
    key: "3.12",
    distro: "c9s",
    from: "quay.io/sclorg/s2i-base-c9s:c9s",
    pythonPkgs: ["python3.12", "python3.12-devel", "python3.12-pip"],
    name: "sclorg/python-312-c9s",
  },
  {
    key: "3.12",
    distro: "rhel8",
    from: "ubi8/s2i-base:1",
    pythonPkgs: ["python3.12", "python3.12-devel", "python3.12-setuptools", "python3.12-pip"],
    name: "ubi8/python-312",
  },
  { key: "3.12", distro: "rhel9", from: "ubi9/s2i-base:1", pythonPkgs: ["python3.12", "python3.12-devel", "python3.12-pip"], name: "ubi9/python-312" },
  { key: "3.12-minimal", distro: "c10s", from: "quay.io/centos/centos:stream10-minimal", pythonPkgs: ["python3.12"], name: "sclorg/python-312-minimal-c10s" },
  { key: "3.12-minimal", distro: "c9s", from: "quay.io/centos/centos:stream9-minimal", pythonPkgs: ["python3.12"], name: "sclorg/python-312-minimal-c9s" },
  { key: "3.12-minimal", distro: "rhel8", from: "ubi8/ubi-minimal:latest", pythonPkgs: ["python3.12"], name: "ubi8/python-312-minimal" },
  { key: "3.12-minimal", distro: "rhel9", from: "ubi9/ubi-minimal:latest", pythonPkgs: ["python3.12"], name: "ubi9/python-312-minimal" },
  { key: "3.12-minimal", distro: "rhel10", from: "ubi10-minimal:latest", pythonPkgs: ["python3.12"], name: "ubi10/python-312-minimal" },
  { key: "3.13", distro: "fedora42", from: "quay.io/fedora/s2i-base:42", pythonPkgs: el9full, name: "fedora/$NAME-313" },
  {
    key: "3.13",
    distro: "c10s",
    from: "quay.io/sclorg/s2i-base-c10s:c10s",
    pythonPkgs: ["python3.13", "python3.13-devel", "python3.13-pip"],
    name: "sclorg/python-313-c10s",
  },
  { key: "3.13-minimal", distro: "fedora42", from: "quay.io/fedora/fedora-minimal:42", pythonPkgs: ["python3.13"], name: "fedora/python-313-minimal" },
  { key: "3.13-minimal", distro: "c10s", from: "quay.io/centos/centos:stream10-minimal", pythonPkgs: ["python3.13"], name: "sclorg/python-313-minimal-c10s" },
  { key: "3.14", distro: "fedora43", from: "quay.io/fedora/s2i-base:43", pythonPkgs: el9full, name: "fedora/$NAME-314" },
  {
    key: "3.14",
    distro: "c9s",
    from: "quay.io/sclorg/s2i-base-c9s:c9s",
    pythonPkgs: ["python3.14", "python3.14-devel", "python3.14-pip"],
    name: "sclorg/python-314-c9s",
  },
  { key: "3.14", distro: "rhel9", from: "ubi9/s2i-base:1", pythonPkgs: ["python3.14", "python3.14-devel", "python3.14-pip"], name: "ubi9/python-314" },
  { key: "3.14-minimal", distro: "fedora43", from: "quay.io/fedora/fedora-minimal:43", pythonPkgs: ["python3.14"], name: "fedora/python-314-minimal" },
  { key: "3.14-minimal", distro: "c10s", from: "quay.io/centos/centos:stream10-minimal", pythonPkgs: ["python3.14"], name: "sclorg/python-314-minimal-c10s" },
  { key: "3.14-minimal", distro: "c9s", from: "quay.io/centos/centos:stream9-minimal", pythonPkgs: ["python3.14"], name: "sclorg/python-314-minimal-c9s" },
  { key: "3.14-minimal", distro: "rhel9", from: "ubi9/ubi-minimal:latest", pythonPkgs: ["python3.14"], name: "ubi9/python-314-minimal" },
  { key: "3.14-minimal", distro: "rhel10", from: "ubi10-minimal:latest", pythonPkgs: ["python3.14"], name: "ubi10/python-314-minimal" },
  // 3.8 as upstream last had it on rhel8 (§1.4).
  {
    key: "3.8",
    distro: "rhel8",
    from: "ubi8/s2i-base:1",
    pythonPkgs: ["python38", "python38-devel", "python38-setuptools", "python38-pip"],
    name: "ubi8/python-38",
  },
];

/** Non-python packages of the full images per distro group (§1.1 base_pkgs). */
// One group a line, as upstream lists them.
// prettier-ignore
export const UPSTREAM_BASE_PKGS: Record<string, string[]> = {
  el: ["nss_wrapper-libs", "httpd", "httpd-devel", "mod_ssl", "mod_auth_gssapi", "mod_ldap", "mod_session", "atlas-devel", "gcc-gfortran", "libffi-devel", "libtool-ltdl", "enchant", "krb5-devel"],
  c10s: ["nss_wrapper-libs", "httpd", "httpd-devel", "mod_ssl", "mod_auth_gssapi", "mod_ldap", "mod_session", "gcc-gfortran", "libffi-devel", "libtool-ltdl", "krb5-devel"],
  fedora: ["nss_wrapper-libs", "httpd", "httpd-devel", "atlas-devel", "gcc-gfortran", "libffi-devel", "libtool-ltdl", "enchant", "redhat-rpm-config", "krb5-devel"],
};

/** ENV every full rpm image sets itself (§2.1 step 3), besides the CNB trio on UBI versions. */
export const FULL_ENV = {
  PYTHON_VERSION: undefined,
  PATH: "$HOME/.local/bin/:$PATH",
  PYTHONUNBUFFERED: "1",
  PYTHONIOENCODING: "UTF-8",
  LC_ALL: "en_US.UTF-8",
  LANG: "en_US.UTF-8",
  PIP_NO_CACHE_DIR: "off",
  BASH_ENV: "${APP_ROOT}/bin/activate",
  ENV: "${APP_ROOT}/bin/activate",
  PROMPT_COMMAND: ". ${APP_ROOT}/bin/activate",
} as const;
