"""Publish a built site to S3-compatible object storage (`digest deploy`).

Only files whose MD5 differs from the stored object go up, in an order that never shows a reader
a link to a missing file, and what the site no longer has is deleted last. The remote side is
read afresh on every run, so a deploy that failed half-way is finished by running it again.
Headers and the upload order are data (digest/data/deploy.yaml), not code.
"""

from __future__ import annotations

import base64
import builtins
import concurrent.futures
import contextlib
import fnmatch
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import yaml

from digest.config import Section
from digest.errors import DigestError, Problem, did_you_mean
from digest.output.writer import MARKER
from digest.reference.refdata import DATA_DIR

V = TypeVar("V")

DEFAULT_MAX_DELETES = 50
UPLOAD_THREADS = 8  # uploads of one step run side by side; steps run one after another
# Keys a project might put in digest.yaml that must never be there: secrets belong in the environment.
_SECRET_WORDS = ("key", "secret", "token", "password", "credential")


@dataclass(frozen=True)
class Settings:
    """Where to deploy: from `deploy:` in digest.yaml, overridden by the command line."""

    bucket: str
    endpoint: str | None = None
    prefix: str = ""
    region: str | None = None
    max_deletes: int = DEFAULT_MAX_DELETES

    @property
    def where(self) -> str:
        """The place named in messages: s3://bucket/prefix/ (and the endpoint when one is set)."""
        url = f"s3://{self.bucket}/{self.prefix + '/' if self.prefix else ''}"
        return f"{url} at {self.endpoint}" if self.endpoint else url

    def key(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel


_SETTING_TYPES = {"bucket": str, "endpoint": str, "prefix": str, "region": str, "max_deletes": int}


def settings(section: Section, **overrides: str | None) -> Settings:
    """Settings from the `deploy:` mapping and the non-None command-line values; every problem of
    the mapping as `digest.yaml:line: message`."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for name, value in section.values.items():
        where = (str(section.path), section.lines.get(name, 1))
        kind = _SETTING_TYPES.get(name)
        if kind is None and any(word in name.lower() for word in _SECRET_WORDS):
            problems.append(Problem(*where, f"deploy.{name}: credentials never go in digest.yaml; set "
                                            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) instead"))
        elif kind is None:
            problems.append(Problem(*where, f"unknown setting 'deploy.{name}'{did_you_mean(name, _SETTING_TYPES)}"))
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(Problem(*where, f"deploy.{name} must be a whole number, 0 or more"))
        elif kind is str and not isinstance(value, str):
            problems.append(Problem(*where, f"deploy.{name} must be text"))
        else:
            values[name] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    if problems:
        raise DigestError(problems)
    if not values.get("bucket"):
        raise DigestError(Problem(str(section.path), 0, "no bucket to deploy to: give --bucket, or set "
                                                        "'deploy: {bucket: NAME}' in digest.yaml"))
    endpoint = values.get("endpoint")
    if endpoint:
        parts = urlsplit(str(endpoint))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            where = ("--endpoint", 0) if overrides.get("endpoint") else (str(section.path), section.lines["endpoint"])
            raise DigestError(Problem(*where, f"endpoint '{endpoint}' must be an http(s) URL such as "
                                              "https://s3.example.com"))
    values["prefix"] = str(values.get("prefix", "")).strip("/")
    return Settings(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Treatment:
    """How one file is stored: its headers, and the step of the upload order it goes up in."""

    content_type: str
    cache_control: str
    step: int


@dataclass(frozen=True)
class Rules:
    """digest/data/deploy.yaml: pattern -> value tables (first match wins), and the patterns of
    files named after their content."""

    content_types: dict[str, str]
    cache_control: dict[str, str]
    upload_order: dict[str, int]
    content_named: tuple[str, ...]
    content_named_cache_control: str

    @classmethod
    def load(cls, path: Path = DATA_DIR / "deploy.yaml") -> Rules:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        return cls(data["content_types"], data["cache_control"], data["upload_order"],
                   tuple(data["content_named"]["patterns"]), data["content_named"]["cache_control"])

    def named_by_content(self, rel: str) -> bool:
        return any(matches(pattern, rel) for pattern in self.content_named)

    def treatment(self, rel: str) -> Treatment:
        content_type = first_match(self.content_types, rel)
        if self.named_by_content(rel):
            return Treatment(content_type, self.content_named_cache_control, 0)
        return Treatment(content_type, first_match(self.cache_control, rel), first_match(self.upload_order, rel))


def matches(pattern: str, rel: str) -> bool:
    """A pattern with "/" against the whole path (a leading "/" anchors it at the top), one
    without against the file's name (see the head of deploy.yaml)."""
    if "/" in pattern:
        return fnmatch.fnmatchcase(rel, pattern.lstrip("/"))
    return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)


def first_match(table: Mapping[str, V], rel: str) -> V:
    """The value of the first pattern of `table` that matches `rel`."""
    for pattern, value in table.items():
        if matches(pattern, rel):
            return value
    raise KeyError(rel)  # deploy.yaml ends every table with "*"


@dataclass(frozen=True)
class LocalFile:
    """One file of the built site, with what it is stored as."""

    rel: str  # path inside the site, "/"-separated: berita/x/index.html
    path: Path
    md5: str
    size: int
    how: Treatment


@dataclass(frozen=True)
class RemoteObject:
    rel: str
    etag: str
    size: int


@dataclass(frozen=True)
class Upload:
    file: LocalFile
    new: bool  # no object of this name yet (else: its content changed)


@dataclass
class Plan:
    """What a deploy does: uploads in their order, then deletions."""

    uploads: list[Upload] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def new(self) -> int:
        return sum(u.new for u in self.uploads)

    def steps(self) -> list[list[Upload]]:
        """The uploads grouped so that each group may go up in parallel, groups one after another."""
        groups: dict[tuple[int, bool], list[Upload]] = {}
        for upload in self.uploads:
            groups.setdefault((upload.file.how.step, not upload.new), []).append(upload)
        return [groups[k] for k in sorted(groups)]


def hidden(rel: str) -> bool:
    """A path with a part starting with '.' (the build's marker, editors' dot-files): never
    uploaded, and never deleted from the store (it is not the site's)."""
    return any(part.startswith(".") for part in rel.split("/"))


def scan(output: Path, rules: Rules) -> list[LocalFile]:
    """Every file of the built site in `output`, refusing a folder `digest build` did not make."""
    if not output.is_dir():
        raise DigestError(Problem(str(output), 0, "no such folder; run `digest build` first or give --output"))
    if not (output / MARKER).is_file():
        raise DigestError(Problem(str(output), 0, f"is not a site made by `digest build` (no {MARKER} in it); "
                                                  "refusing to publish it"))
    files = []
    for folder, dirs, names in os.walk(output):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(folder, name)
            rel = path.relative_to(output).as_posix()
            if hidden(rel) or not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            files.append(LocalFile(rel, path, hashlib.md5(data, usedforsecurity=False).hexdigest(), len(data),
                                   rules.treatment(rel)))
    return sorted(files, key=lambda f: f.rel)


class Store:
    """The bucket through boto3; every failure becomes one DigestError line naming the target."""

    def __init__(self, target: Settings):
        import boto3
        import botocore.session
        from botocore.config import Config as BotoConfig

        self.target = target
        options = BotoConfig(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=60,
                             max_pool_connections=UPLOAD_THREADS,
                             # S3-compatible servers want path-style URLs and plain MD5 checks
                             s3={"addressing_style": "path" if target.endpoint else "auto"},
                             request_checksum_calculation="when_required",
                             response_checksum_validation="when_required")
        with self.translated():
            core = botocore.session.get_session()
            # Credentials from the environment and profiles only: never ask a cloud metadata
            # address (the instance and container roles), which outside a cloud only hangs.
            for provider in ("container-role", "iam-role"):
                core.get_component("credential_provider").remove(provider)
            self.client = boto3.session.Session(botocore_session=core).client(
                "s3", endpoint_url=target.endpoint, region_name=target.region, config=options)

    def _prefix(self) -> str:
        return f"{self.target.prefix}/" if self.target.prefix else ""

    def list(self) -> dict[str, RemoteObject]:
        """The objects under the prefix, by path inside the site (dot-paths and folder keys left out)."""
        prefix = self._prefix()
        found: dict[str, RemoteObject] = {}
        with self.translated():
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.target.bucket, Prefix=prefix)
            for page in pages:
                for obj in page.get("Contents", []):
                    rel = obj["Key"][len(prefix):]
                    if rel and not rel.endswith("/") and not hidden(rel):
                        found[rel] = RemoteObject(rel, obj.get("ETag", "").strip('"'), obj.get("Size", -1))
        return found

    def recorded_md5(self, rel: str) -> str | None:
        """The MD5 a deploy recorded in the object's metadata (for ETags that are no MD5)."""
        with self.translated(rel):
            head = self.client.head_object(Bucket=self.target.bucket, Key=self.target.key(rel))
        return head.get("Metadata", {}).get("md5")

    def put(self, file: LocalFile) -> None:
        """One single PUT (never multipart, so the ETag stays the MD5), the MD5 also kept in metadata."""
        data = file.path.read_bytes()
        digest = hashlib.md5(data, usedforsecurity=False)
        with self.translated(file.rel):
            self.client.put_object(Bucket=self.target.bucket, Key=self.target.key(file.rel), Body=data,
                                   ContentType=file.how.content_type, CacheControl=file.how.cache_control,
                                   ContentMD5=base64.b64encode(digest.digest()).decode(),
                                   Metadata={"md5": digest.hexdigest()})

    def delete(self, rels: builtins.list[str]) -> None:  # builtins: `list` here is Store.list
        for start in range(0, len(rels), 1000):  # the API's limit per request
            batch = [{"Key": self.target.key(rel)} for rel in rels[start:start + 1000]]
            with self.translated():
                answer = self.client.delete_objects(Bucket=self.target.bucket,
                                                    Delete={"Objects": batch, "Quiet": True})
            if answer.get("Errors"):
                error = answer["Errors"][0]
                raise DigestError(Problem(self.target.where, 0, f"could not delete {error.get('Key')}: "
                                                                 f"{error.get('Message') or error.get('Code')}"))

    @contextlib.contextmanager
    def translated(self, rel: str | None = None) -> Iterator[None]:
        """Turn botocore's exceptions into one DigestError line with a remedy."""
        import botocore.exceptions as bx

        try:
            yield
        except (bx.BotoCoreError, bx.ClientError) as exc:
            raise DigestError(Problem(self.target.where, 0, explain(exc, self.target, rel))) from None


# S3 error codes -> what the operator should do ({bucket} is filled in).
_REMEDIES = {
    "InvalidAccessKeyId": "the access key is not known to the server; check AWS_ACCESS_KEY_ID (or AWS_PROFILE)",
    "SignatureDoesNotMatch": "the server refused the credentials; check AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)",
    "InvalidToken": "the session token is invalid; check AWS_SESSION_TOKEN",
    "ExpiredToken": "the session token has expired; renew the credentials",
    "AccessDenied": "access denied to bucket '{bucket}'; the credentials need list, put and delete rights on it",
    "NoSuchBucket": "bucket '{bucket}' does not exist; create it or fix --bucket",
    "AuthorizationHeaderMalformed": "the server expects another region; set --region",
    "PermanentRedirect": "the bucket lives in another region; set --region",
}


def explain(exc: BaseException, target: Settings, rel: str | None) -> str:
    """One line for a botocore failure: credentials, bucket, endpoint, or the server's own words."""
    import botocore.exceptions as bx

    where = f" ({rel})" if rel else ""
    if isinstance(exc, bx.NoCredentialsError):
        return "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
    if isinstance(exc, bx.ProfileNotFound):
        return f"{exc}; check AWS_PROFILE"
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return f"cannot reach {target.endpoint or 'the S3 endpoint'}{where}; check --endpoint and the network"
    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        if code in ("404", "NotFound") and not rel:
            code = "NoSuchBucket"
        remedy = _REMEDIES.get(code)
        if remedy:
            return remedy.format(bucket=target.bucket) + where
        return f"the server answered {code or 'an error'}: {error.get('Message') or exc}{where}"
    return f"{' '.join(str(exc).split()) or type(exc).__name__}{where}"


def plan(local: list[LocalFile], remote: dict[str, RemoteObject],
         recorded_md5: Callable[[str], str | None]) -> Plan:
    """Compare the site with the store. An object is unchanged when its ETag is the file's MD5;
    when it is not but the size is the same (an upload in parts, a KMS-encrypted object, or an
    edit that kept the length), the MD5 recorded in its metadata decides: one HEAD request."""
    result = Plan()
    for file in local:
        obj = remote.get(file.rel)
        if obj is None:
            result.uploads.append(Upload(file, new=True))
        elif obj.etag == file.md5 or (obj.size == file.size and recorded_md5(file.rel) == file.md5):
            result.unchanged += 1
        else:
            result.uploads.append(Upload(file, new=False))
    kept = {f.rel for f in local}
    result.deletions = sorted(rel for rel in remote if rel not in kept)
    result.uploads.sort(key=lambda u: (u.file.how.step, not u.new, u.file.rel))
    return result


@dataclass(frozen=True)
class Report:
    """What a deploy did (or, with --dry-run, would do), for the command's summary line."""

    where: str
    uploaded: int
    new: int
    deleted: int
    unchanged: int
    seconds: float


def run_steps(steps: list[list[Upload]], put: Callable[[LocalFile], None],
              on_done: Callable[[Upload], None]) -> None:
    """Upload step after step, the files of one step side by side; the first failure stops all."""
    with concurrent.futures.ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        for step in steps:
            futures = {pool.submit(put, upload.file): upload for upload in step}
            try:
                for future in concurrent.futures.as_completed(futures):
                    future.result()
                    on_done(futures[future])
            except BaseException:
                for pending in futures:
                    pending.cancel()
                raise


def guard(deploy_plan: Plan, target: Settings, rules: Rules) -> Problem | None:
    """The refusal of a plan that deletes more than max_deletes files (a wrong --output or
    --prefix would otherwise empty the live site), or None. Content-named files do not count:
    their deletion is the other half of a rename."""
    n = sum(not rules.named_by_content(rel) for rel in deploy_plan.deletions)
    if n <= target.max_deletes:
        return None
    return Problem(target.where, 0, f"would delete {n} files, more than deploy.max_deletes ({target.max_deletes}); "
                                     "check --output and --prefix, then run again with --force")


def deploy(output: Path, target: Settings, *, dry_run: bool = False, force: bool = False,
           show: Callable[[str], None] = print) -> Report:
    """Make the store hold exactly the site in `output`; with `dry_run`, only `show` the changes."""
    started = time.monotonic()
    rules = Rules.load()
    local = scan(output, rules)
    store = Store(target)
    deploy_plan = plan(local, store.list(), store.recorded_md5)
    refusal = None if force else guard(deploy_plan, target, rules)
    if dry_run:
        for upload in deploy_plan.uploads:
            f = upload.file
            show(f"upload {'new' if upload.new else 'changed':8}{f.rel}  ({f.how.content_type}; {f.how.cache_control})")
        for rel in deploy_plan.deletions:
            show(f"delete {'':8}{rel}")
    if refusal:
        raise DigestError(refusal)
    done: list[Upload] = []
    if not dry_run:
        try:
            run_steps(deploy_plan.steps(), store.put, done.append)
            store.delete(deploy_plan.deletions)
        except DigestError as exc:  # one line: what failed, and how far the deploy got
            first = exc.problems[0]
            note = f"{len(done)} of {len(deploy_plan.uploads)} uploads done; run `digest deploy` again to finish"
            raise DigestError(Problem(first.path, first.line, f"{first.message}; {note}")) from None
    return Report(target.where, len(deploy_plan.uploads), deploy_plan.new, len(deploy_plan.deletions),
                  deploy_plan.unchanged, time.monotonic() - started)
