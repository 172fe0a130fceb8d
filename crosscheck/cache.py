"""An on-disk cache of embeddings and NLI probabilities, shared by every check and every process on a machine.

A check spends almost all its time in two model passes: embedding each claim and scoring claim pairs with the NLI
cross-encoder. Both are pure functions of the model and the text(s), so their outputs are stored on disk and a re-run
over the same reports (a CI check over a curated data set, a day's feed re-checked with one new article) only runs
the models on what is new. When every text is found, the models are not even loaded.

:class:`CachedEmbedder` wraps any embedder stage (:class:`~crosscheck.protocols.Embedder`) and :class:`CachedNLI`
any NLI model (:class:`~crosscheck.protocols.NLIModel`); :class:`~crosscheck.pipeline.Checker` puts them around its
stages (``Checker(cache=True)``, the default; ``cache=False`` or ``crosscheck check --no-cache`` turns it off).

**Keys.** An entry's key is a hash of the model's fingerprint (:func:`model_fingerprint`: the stage's class and
settings, the content of its model files and the source of the module that runs them) and the text (an embedding)
or the ordered (premise, hypothesis) pair (an NLI row). A retrained model, a changed setting or an edited module
gets new keys; its old entries age out. A stage of your own is cached when it has a ``cache_key`` (a string, or a
method returning one, that changes whenever its outputs would) or a path setting naming its model files; a stage
with neither runs uncached, since nothing tells its outputs apart from another version's.

**Where.** ``directory`` when given, else the ``CROSSCHECK_CACHE_DIR`` environment variable, else the user cache
directory of the platform (``platformdirs.user_cache_dir("crosscheck")``: ``~/.cache/crosscheck`` on Linux).

**Size and concurrency.** The store is a :mod:`diskcache` database (SQLite in write-ahead mode): any number of
processes and threads may read and write it at once. It keeps at most ``size_limit`` bytes (1 GiB by default, about
600,000 embeddings), evicting the least recently used entries first. A write that times out under heavy contention
is skipped (the values are still returned, only not stored); a read that times out counts as a miss. Values are
stored as raw float arrays, never pickled, so a shared cache directory cannot run code.

>>> import tempfile
>>> cache = DiskCache(tempfile.mkdtemp())
>>> emb = CachedEmbedder(lambda texts: np.eye(2, dtype=np.float32)[: len(texts)], cache=cache, key="toy-v1")
>>> emb(["a", "b"]).tolist()
[[1.0, 0.0], [0.0, 1.0]]
>>> emb.hits, emb.misses
(0, 2)
>>> emb(["b", "a"]).tolist(), emb.hits
([[0.0, 1.0], [1.0, 0.0]], 2)
"""

from __future__ import annotations

import hashlib
import inspect
import numbers
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.errors import Errors, InputError

__all__ = [
    "CACHE_ENV", "DEFAULT_SIZE_LIMIT", "CachedEmbedder", "CachedNLI", "DiskCache", "as_cache", "cache_stages",
    "default_cache_dir", "model_fingerprint",
]

#: The environment variable that moves the default cache directory.
CACHE_ENV = "CROSSCHECK_CACHE_DIR"
#: Default size cap of the cache, in bytes (1 GiB).
DEFAULT_SIZE_LIMIT = 1 << 30
#: Seconds a reader or writer waits for the database lock before giving up on that read or write.
TIMEOUT = 30.0
#: Hash of one key: 20 bytes of BLAKE2b (collisions are out of reach at any cache size).
_DIGEST = 20
_FILE_HASHES: dict[tuple[str, int, int], str] = {}
_FILE_LOCK = threading.Lock()


def default_cache_dir() -> Path:
    """``$CROSSCHECK_CACHE_DIR`` when set, else the platform's user cache directory for crosscheck.

    >>> import os
    >>> os.environ[CACHE_ENV] = "/tmp/crosscheck-doc-cache"
    >>> default_cache_dir().as_posix()
    '/tmp/crosscheck-doc-cache'
    >>> del os.environ[CACHE_ENV]
    """
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crosscheck", appauthor=False))


class DiskCache:
    """A size-capped, process-safe store of float arrays by key (see the module docstring).

    Args:
        directory: where the database lives (default: :func:`default_cache_dir`, read when the store first opens).
        size_limit: the most bytes kept; least recently used entries are evicted beyond it.

    The database opens on first use; a ``DiskCache`` pickles as its settings (a Dask worker reopens it), so the same
    directory is shared by all the processes of a machine.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, size_limit: int = DEFAULT_SIZE_LIMIT) -> None:
        self.directory = directory
        self.size_limit = size_limit

    def __repr__(self) -> str:
        return f"DiskCache(directory={self.directory!r}, size_limit={self.size_limit})"

    def __getstate__(self) -> dict[str, Any]:
        return {"directory": self.directory, "size_limit": self.size_limit}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def path(self) -> Path:
        """The directory in use."""
        return Path(self.directory).expanduser() if self.directory is not None else default_cache_dir()

    def _store(self) -> Any:
        store = self.__dict__.get("_db")
        if store is None:
            limit = self.size_limit
            if not isinstance(limit, numbers.Integral) or isinstance(limit, bool) or limit < 1:
                raise InputError(Errors.E480.format(value=limit))
            import diskcache

            path = self.path
            try:
                store = diskcache.Cache(str(path), size_limit=int(limit), eviction_policy="least-recently-used",
                                        timeout=TIMEOUT, disk_min_file_size=1 << 20)
            except Exception as exc:  # noqa: BLE001 - OSError, sqlite3.Error (not an OSError), diskcache.Timeout
                raise InputError(Errors.E481.format(path=path, problem=f"{type(exc).__name__}: {exc}")) from None
            self._db = store
        return store

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The stored value of each key, None where absent (or unreadable under contention)."""
        import diskcache

        store = self._store()
        out: list[bytes | None] = []
        for key in keys:
            try:
                value = store.get(key, default=None, retry=True)
            except diskcache.Timeout:
                value = None
            out.append(value if isinstance(value, bytes) else None)
        return out

    def set_many(self, items: Iterable[tuple[str, bytes]]) -> int:
        """Store ``(key, value)`` pairs in one transaction; returns how many were written (0 after a timeout)."""
        import diskcache

        store = self._store()
        items = list(items)
        try:
            with store.transact(retry=True):
                for key, value in items:
                    store.set(key, value)
        except diskcache.Timeout:
            return 0
        return len(items)

    def get_text(self, key: str) -> str | None:
        """A small string value (the file-hash memo)."""
        value = self.get_many([key])[0]
        return value.decode("ascii") if value is not None else None

    def volume(self) -> int:
        """Bytes the database uses on disk."""
        return int(self._store().volume())

    def __len__(self) -> int:
        return len(self._store())

    def clear(self) -> int:
        """Remove every entry; returns how many were removed."""
        return int(self._store().clear(retry=True))

    def close(self) -> None:
        """Close the database (it reopens on the next use)."""
        store = self.__dict__.pop("_db", None)
        if store is not None:
            store.close()


def as_cache(cache: Any) -> DiskCache | None:
    """The :class:`DiskCache` of a ``cache`` setting: True (the default directory), False or None (no cache), a path
    (that directory) or a :class:`DiskCache`; anything else raises E482."""
    if cache is True:
        return DiskCache()
    if cache is False or cache is None:
        return None
    if isinstance(cache, DiskCache):
        return cache
    if isinstance(cache, (str, os.PathLike)) and str(cache).strip():
        return DiskCache(cache)
    raise InputError(Errors.E482.format(value=cache))


# ---- fingerprints ----------------------------------------------------------------------------------------------
def _hash_file(path: Path, cache: DiskCache | None) -> str:
    """BLAKE2b of a file's content, remembered by (path, size, mtime) in this process and in the cache."""
    st = path.stat()
    memo = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _FILE_LOCK:
        found = _FILE_HASHES.get(memo)
    if found is not None:
        return found
    memo_key = "file:" + hashlib.blake2b(repr(memo).encode(), digest_size=_DIGEST).hexdigest()
    found = cache.get_text(memo_key) if cache is not None else None
    if found is None:
        h = hashlib.blake2b(digest_size=_DIGEST)
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        found = h.hexdigest()
        if cache is not None:
            cache.set_many([(memo_key, found.encode("ascii"))])
    with _FILE_LOCK:
        _FILE_HASHES[memo] = found
    return found


def _hash_tree(path: Path, cache: DiskCache | None) -> str:
    """Hash of a file, or of every file under a directory (names and contents, in sorted order)."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        h.update(f.relative_to(path).as_posix().encode() if f != path else b"")
        h.update(_hash_file(f, cache).encode())
    return h.hexdigest()


def _bundled_dirs(obj: Any) -> list[Path]:
    """Model directories a crosscheck stage reads when its path setting is left at None: the models shipped in the
    package and the bundled MiniLM package (hashed whole: a new export of any of them changes the key)."""
    dirs = [Path(__file__).resolve().parent / "models"]
    try:
        from crosscheck.embed import minilm_path

        dirs.append(minilm_path())
    except Exception:  # noqa: BLE001 - without the MiniLM package nothing of it can be read either
        pass
    return [d for d in dirs if d.exists()]


def _simple(value: Any) -> bool:
    if isinstance(value, (str, bytes, int, float, bool, type(None), os.PathLike)):
        return True
    if isinstance(value, (tuple, list, frozenset)):
        return all(_simple(v) for v in value)
    return False


def model_fingerprint(obj: Any, cache: DiskCache | None = None) -> str | None:
    """A string that changes whenever ``obj``'s outputs may change, or None when it cannot be known.

    From, in order: ``obj.cache_key`` (a string or a method returning one) when it has one; else the class's
    qualified name, its public settings of simple types, the source file of its module, and the content of every file
    under each setting that names an existing path. A crosscheck stage whose path settings are all None reads the
    bundled models, which are hashed instead. Any other object without a model path gives None (it is not cached).

    >>> class Toy:
    ...     cache_key = "toy-v1"
    >>> model_fingerprint(Toy())
    'key:toy-v1'
    >>> model_fingerprint(lambda texts: texts) is None
    True
    """
    key = getattr(obj, "cache_key", None)
    if callable(key):
        key = key()
    if isinstance(key, str) and key:
        return "key:" + key
    cls = type(obj)
    settings = {k: v for k, v in sorted(vars(obj).items()) if not k.startswith("_") and _simple(v)} \
        if hasattr(obj, "__dict__") else {}
    paths = [Path(v) for v in settings.values()
             if isinstance(v, (str, os.PathLike)) and str(v) and len(str(v)) < 4096 and _exists(Path(v))]
    ours = cls.__module__.split(".")[0] == "crosscheck"
    if not paths and ours:
        paths = _bundled_dirs(obj)
    if not paths:
        return None
    h = hashlib.blake2b(digest_size=_DIGEST)
    h.update(f"{cls.__module__}.{cls.__qualname__}\x1f{settings!r}".encode())
    source = inspect.getsourcefile(cls)
    if source:
        h.update(_hash_file(Path(source), cache).encode())
    for p in paths:
        h.update(_hash_tree(p, cache).encode())
    return h.hexdigest()


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


# ---- values ----------------------------------------------------------------------------------------------------
def _encode(row: np.ndarray) -> bytes:
    dtype = row.dtype.str.encode("ascii")
    return bytes([len(dtype)]) + dtype + np.ascontiguousarray(row).tobytes()


def _decode(value: bytes | None, width: int | None) -> np.ndarray | None:
    """A stored row, or None when it is absent or malformed (then it is recomputed and overwritten)."""
    if value is None or len(value) < 2:
        return None
    n = value[0]
    try:
        dtype = np.dtype(value[1:1 + n].decode("ascii"))
        row = np.frombuffer(value[1 + n:], dtype=dtype)
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if dtype.kind != "f" or (width is not None and row.shape[0] != width) or not np.isfinite(row).all():
        return None
    return row


def _key(fingerprint: str, kind: str, *texts: str) -> str:
    h = hashlib.blake2b(digest_size=_DIGEST)
    h.update(f"{kind}\x1e{fingerprint}".encode())
    for t in texts:
        h.update(b"\x1f")
        h.update(t.encode("utf-8", "surrogatepass"))
    return f"{kind}:{h.hexdigest()}"


class _Cached:
    """What both wrappers share: the store, the lazily computed fingerprint and hit counters."""

    def __init__(self, inner: Any, *, cache: DiskCache, key: str | None = None) -> None:
        self.cache = cache
        self.key = key
        self._inner = inner
        self.hits = 0
        self.misses = 0

    @property
    def fingerprint(self) -> str | None:
        """The inner model's :func:`model_fingerprint` (or ``key`` when given); None: not cached."""
        if "_fp" not in self.__dict__:
            self._fp = ("key:" + self.key) if self.key else model_fingerprint(self._inner, self.cache)
        return self._fp

    def _lookup(self, kind: str, items: Sequence[tuple[str, ...]], width: int | None,
                compute: Any) -> list[np.ndarray]:
        """Rows for ``items`` (unique), from the store or from ``compute(missing items) -> array``."""
        fp = self.fingerprint
        assert fp is not None
        keys = [_key(fp, kind, *item) for item in items]
        rows: list[np.ndarray | None] = [_decode(v, width) for v in self.cache.get_many(keys)]
        missing = [i for i, r in enumerate(rows) if r is None]
        self.hits += len(items) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = compute([items[i] for i in missing])
            for i, row in zip(missing, fresh):
                rows[i] = row
            self.cache.set_many((keys[i], _encode(np.asarray(rows[i]))) for i in missing)
        return rows  # type: ignore[return-value]


class CachedEmbedder(_Cached):
    """An embedder stage whose vectors are kept in a :class:`DiskCache`.

    Args:
        embedder: the stage to wrap (any :class:`~crosscheck.protocols.Embedder`).
        cache: the store.
        key: the model's identity, when :func:`model_fingerprint` cannot find it (or to override it).

    Each distinct text of a call is looked up once; the inner embedder runs once per call, on the texts not found.
    ``hits`` and ``misses`` count texts. An embedder whose fingerprint is unknown is called directly.
    """

    def __init__(self, embedder: Any, *, cache: DiskCache, key: str | None = None) -> None:
        super().__init__(embedder, cache=cache, key=key)

    @property
    def embedder(self) -> Any:
        """The wrapped stage."""
        return self._inner

    def __repr__(self) -> str:
        return f"CachedEmbedder({self._inner!r}, cache={self.cache!r})"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts or self.fingerprint is None or not all(isinstance(t, str) for t in texts):
            return self._inner(texts)
        unique = list(dict.fromkeys(texts))

        def compute(items: list[tuple[str, ...]]) -> np.ndarray:
            from crosscheck import validate

            return validate.embeddings(self._inner([t for (t,) in items]), len(items))

        rows = self._lookup("embed", [(t,) for t in unique], self.__dict__.get("_width"), compute)
        width = rows[0].shape[0]
        if any(r.shape[0] != width for r in rows):  # a stored row of another width: recompute the call whole
            return self._inner(texts)
        self._width = width
        by_text = dict(zip(unique, rows))
        dtype = np.result_type(*{r.dtype for r in rows})
        return np.stack([by_text[t] for t in texts]).astype(dtype, copy=False)


class CachedNLI(_Cached):
    """An NLI model whose probabilities are kept in a :class:`DiskCache`; ``predict`` as in
    :class:`~crosscheck.protocols.NLIModel`. ``hits`` and ``misses`` count (premise, hypothesis) pairs."""

    def __init__(self, model: Any, *, cache: DiskCache, key: str | None = None) -> None:
        super().__init__(model, cache=cache, key=key)

    @property
    def model(self) -> Any:
        """The wrapped NLI model."""
        return self._inner

    def __repr__(self) -> str:
        return f"CachedNLI({self._inner!r}, cache={self.cache!r})"

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        pairs = [tuple(p) for p in pairs]
        if not pairs or self.fingerprint is None or not all(len(p) == 2 and all(isinstance(t, str) for t in p)
                                                             for p in pairs):
            return self._inner.predict(pairs)
        unique = list(dict.fromkeys(pairs))

        def compute(items: list[tuple[str, ...]]) -> np.ndarray:
            probs = np.asarray(self._inner.predict(items))
            if probs.shape != (len(items), 3):
                raise InputError(Errors.E483.format(shape=probs.shape, n=len(items)))
            return probs

        rows = self._lookup("nli", unique, 3, compute)
        by_pair = dict(zip(unique, rows))
        dtype = np.result_type(*{r.dtype for r in rows})
        return np.stack([by_pair[p] for p in pairs]).astype(dtype, copy=False)


def cache_stages(stages: dict[str, Any], cache: DiskCache) -> dict[str, Any]:
    """The pipeline's stages with the embedder and the judge's NLI model behind ``cache`` (a new dict; the stage
    objects passed in are not modified: a judge that is changed is a shallow copy).

    The judge's model is found as its ``nli`` setting (:class:`~crosscheck.judge.RuleJudge`) or its
    ``rule_judge``'s (:class:`~crosscheck.relation.ModelJudge`); a judge of another shape is left as it is (wrap its
    model in :class:`CachedNLI` yourself). Stages already wrapped are not wrapped again.
    """
    out = dict(stages)
    emb = out.get("embedder")
    if emb is not None and not isinstance(emb, CachedEmbedder):
        out["embedder"] = CachedEmbedder(emb, cache=cache)
    if out.get("judge") is not None:
        out["judge"] = _judge_with_cache(out["judge"], cache)
    return out


def _judge_with_cache(judge: Any, cache: DiskCache) -> Any:
    import copy

    if hasattr(judge, "rule_judge") and hasattr(judge.rule_judge, "nli_model"):
        inner = _judge_with_cache(judge.rule_judge, cache)
        if inner is judge.rule_judge:
            return judge
        judge = copy.copy(judge)
        judge.rule_judge = inner
        return judge
    if not (hasattr(judge, "nli") and hasattr(judge, "nli_model")):
        return judge
    model = judge.nli_model
    if model is None or isinstance(model, CachedNLI):
        return judge
    judge = copy.copy(judge)
    judge.nli = CachedNLI(model, cache=cache)
    return judge
