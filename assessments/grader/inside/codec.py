"""The typed channel between learner code and the tests: data only, never code or pickles.

Both sandboxes use this module. A value crosses as JSON built from a fixed vocabulary: plain
Python values (subclasses become their plain base type, so a lying ``__eq__`` does not cross),
numpy arrays and scalars of non-object dtypes, pandas Series, DataFrames, indexes and
categoricals, SciPy sparse matrices and fitted scikit-learn estimators. An estimator crosses as
its class name and its state; the receiving side rebuilds it with its *own* scikit-learn class,
looked up by name and accepted only if it is a scikit-learn estimator, so the methods a test calls
are the library's, never the learner's. Anything else crosses as a reference: the object stays
where it was made and the other side may only ask about it (see ``judge_side.Remote``).

Decoding treats its input as hostile: unknown tags, wrong types, names outside the allowed
libraries and oversized values are refused with ``CodecError``.
"""

from __future__ import annotations

import base64
import builtins
import datetime as dt
import decimal
import fractions
import importlib
import pathlib
import re
import sys
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 60
MAX_ITEMS = 2_000_000
LIBRARY_ROOTS = ("numpy", "pandas", "sklearn", "scipy", "matplotlib")
"""Libraries whose classes and functions may cross by name (looked up on the receiving side)."""
PLAIN_BUILTIN_TYPES = ("int", "float", "complex", "str", "bytes", "bool", "list", "dict", "tuple",
                       "set", "frozenset", "object", "type", "range", "slice")  # fmt: skip
ARRAY_KINDS = set("biufcmMUS")
FUNCTION_ROOTS = ("numpy", "scipy", "sklearn")
REDUCIBLE = ("sklearn.tree._tree:Tree",)
"""Compiled scikit-learn helpers rebuilt from their own reduce (a fitted tree's structure)."""
FILE_TOKENS = frozenset(
    [
        "io",
        "npyio",
        "format",
        "datasets",
        "testing",
        "compat",
        "ctypeslib",
        "f2py",
        "pickle",
        "memmap",
        "system",
        "eval",
        "exec",
        "os",
        "sys",
    ]
)
FILE_PREFIXES = ("load", "read", "save", "open", "fetch", "dump", "write", "from", "import",
                 "download", "pickle", "_npyio", "_io")  # fmt: skip
"""A function whose module or name has one of these parts never crosses (files, code, network)."""


class CodecError(ValueError):
    """A value that cannot cross the channel, or an input that is not a valid encoding."""


def _module_loaded(name: str) -> Any:
    return sys.modules.get(name)


class Encoder:
    """Turns values into the channel's JSON vocabulary; ``ref`` handles everything else."""

    def __init__(self, ref: Callable[[Any], dict[str, Any]], own: type | None = None) -> None:
        self.ref = ref
        self.own = own
        self.items = 0

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS or depth > MAX_DEPTH:
            raise CodecError("the value is too large or too deeply nested to pass to the tests")
        if self.own is not None and type(value) is self.own:
            return self.ref(value)
        if value is None or type(value) in (bool, str) or value is Ellipsis:
            return {"$": "ellipsis"} if value is Ellipsis else value
        if type(value) is int:
            return value if abs(value) < 2**53 else {"$": "bigint", "v": str(value)}
        if type(value) is float:
            return {"$": "float", "v": repr(value)}
        special = self._library(value, depth)
        if special is not None:
            return special
        return self._plain(value, depth)

    def _plain(self, value: Any, depth: int) -> Any:
        enc = self.encode
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return enc(int.__int__(value), depth)
        if isinstance(value, float):
            return enc(float.__float__(value), depth)
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, complex):
            return {"$": "complex", "re": repr(value.real), "im": repr(value.imag)}
        if isinstance(value, (bytes, bytearray, memoryview)):
            return {"$": "bytes", "b64": base64.b64encode(bytes(value)).decode("ascii")}
        if isinstance(value, dict):
            items = [[enc(k, depth + 1), enc(v, depth + 1)] for k, v in dict.items(value)]
            return {"$": "dict", "items": items}
        if isinstance(value, list):
            return [enc(v, depth + 1) for v in list.__iter__(value)]
        if isinstance(value, tuple):
            return {"$": "tuple", "items": [enc(v, depth + 1) for v in tuple.__iter__(value)]}
        if isinstance(value, (set, frozenset)):
            tag = "frozenset" if isinstance(value, frozenset) else "set"
            return {"$": tag, "items": [enc(v, depth + 1) for v in set(value)]}
        if isinstance(value, range):
            return {"$": "range", "v": [value.start, value.stop, value.step]}
        if isinstance(value, slice):
            return {"$": "slice", "v": [enc(x, depth + 1) for x in (value.start, value.stop,
                                                                      value.step)]}  # fmt: skip
        if isinstance(value, dt.datetime):
            return {"$": "datetime", "v": dt.datetime.isoformat(value)}
        if isinstance(value, dt.date):
            return {"$": "date", "v": dt.date.isoformat(value)}
        if isinstance(value, dt.time):
            return {"$": "time", "v": dt.time.isoformat(value)}
        if isinstance(value, dt.timedelta):
            return {"$": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
        if isinstance(value, pathlib.PurePath):
            return {"$": "path", "v": str(pathlib.PurePath.__str__(value))}
        if isinstance(value, decimal.Decimal):
            return {"$": "decimal", "v": str(value)}
        if isinstance(value, fractions.Fraction):
            return {"$": "fraction", "v": [str(value.numerator), str(value.denominator)]}
        if (
            isinstance(value, type)
            and value.__name__ in PLAIN_BUILTIN_TYPES
            and (getattr(builtins, value.__name__, None) is value)
        ):
            return {"$": "class", "name": f"builtins.{value.__name__}"}
        named = _library_name(value)
        if named is not None and _may_cross_by_name(value, named):
            return {"$": "class" if isinstance(value, type) else "func", "name": named}
        return self.ref(value)

    def _library(self, value: Any, depth: int) -> Any:
        """numpy, pandas, SciPy and scikit-learn values; None when ``value`` is none of them."""
        np = _module_loaded("numpy")
        if np is None:
            return None
        enc = self.encode
        if isinstance(value, np.ndarray) and type(value) in (np.ndarray,):
            return _encode_array(value, enc, depth)
        if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
            return {"$": "npscalar", "dtype": value.dtype.str, "b64": _b64(value.tobytes())}
        if isinstance(value, np.dtype):
            return {"$": "dtype", "v": value.str} if value.kind in ARRAY_KINDS else None
        pd = _module_loaded("pandas")
        if pd is not None:
            found = _encode_pandas(pd, np, value, enc, depth)
            if found is not None:
                return found
        sparse = _module_loaded("scipy.sparse")
        if sparse is not None and sparse.issparse(value):
            csr = value.tocsr() if value.format not in ("csr", "csc") else value
            return {"$": "sparse", "format": csr.format, "shape": list(csr.shape),
                    "data": enc(csr.data, depth + 1), "indices": enc(csr.indices, depth + 1),
                    "indptr": enc(csr.indptr, depth + 1)}  # fmt: skip
        base = _module_loaded("sklearn.base")
        if base is not None and isinstance(value, base.BaseEstimator):
            name = _library_name(type(value))
            if name is not None and name.startswith("sklearn."):
                state = value.__getstate__()
                if isinstance(state, dict):
                    return {"$": "estimator", "cls": name, "state": enc(dict(state), depth + 1)}
        reduced = _sklearn_reduce(value)
        if reduced is not None:
            name, args, state = reduced
            return {"$": "reduce", "cls": name, "args": enc(tuple(args), depth + 1),
                    "state": enc(state, depth + 1)}  # fmt: skip
        return None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _encode_array(value: Any, enc: Callable[..., Any], depth: int) -> Any:
    fields = value.dtype.fields
    if fields and all(f[0].kind in ARRAY_KINDS and not f[0].fields for f in fields.values()):
        dtype = value.dtype
        layout = {
            "names": list(dtype.names),
            "formats": [fields[n][0].str for n in dtype.names],
            "offsets": [fields[n][1] for n in dtype.names],
            "itemsize": dtype.itemsize,
        }
        return {"$": "array", "dtype": layout, "shape": list(value.shape),
                "b64": _b64(value.tobytes(order="C"))}  # fmt: skip
    if value.dtype.kind in ARRAY_KINDS and not value.dtype.fields:
        data = value.tobytes(order="C")
        return {"$": "array", "dtype": value.dtype.str, "shape": list(value.shape),
                "b64": _b64(data)}  # fmt: skip
    if value.dtype.kind == "O":
        return {"$": "objarray", "shape": list(value.shape),
                "items": [enc(v, depth + 1) for v in value.ravel(order="C").tolist()]}  # fmt: skip
    raise CodecError(f"numpy arrays of dtype {value.dtype} cannot be passed to the tests")


def _encode_pandas(pd: Any, np: Any, value: Any, enc: Callable[..., Any], depth: int) -> Any:
    d = depth + 1
    if type(value) is pd.DataFrame:
        return {"$": "frame", "columns": enc(value.columns, d), "index": enc(value.index, d),
                "data": [_encode_values(pd, np, value.iloc[:, i], enc, d)
                         for i in range(value.shape[1])]}  # fmt: skip
    if type(value) is pd.Series:
        return {"$": "series", "name": enc(value.name, d), "index": enc(value.index, d),
                "values": _encode_values(pd, np, value, enc, d)}  # fmt: skip
    if type(value) is pd.RangeIndex:
        return {"$": "rangeindex", "v": [value.start, value.stop, value.step],
                "name": enc(value.name, d)}  # fmt: skip
    if type(value) is pd.MultiIndex:
        return {"$": "multiindex", "tuples": [enc(tuple(t), d) for t in value.tolist()],
                "names": [enc(n, d) for n in value.names]}  # fmt: skip
    if isinstance(value, pd.Index) and type(value).__module__.startswith("pandas."):
        return {"$": "index", "name": enc(value.name, d),
                "values": _encode_values(pd, np, value, enc, d)}  # fmt: skip
    if type(value) is pd.Categorical:
        return {"$": "categorical", "codes": enc(np.asarray(value.codes), d),
                "categories": enc(value.categories, d), "ordered": bool(value.ordered)}  # fmt: skip
    if type(value) is pd.Timestamp:
        return {"$": "timestamp", "v": value.isoformat()}
    if type(value) is pd.Timedelta:
        return {"$": "pdtimedelta", "v": int(value.value)}
    if value is pd.NaT:
        return {"$": "nat"}
    if value is pd.NA:
        return {"$": "na"}
    return None


def _encode_values(pd: Any, np: Any, obj: Any, enc: Callable[..., Any], depth: int) -> Any:
    """The values of a Series, column or Index, keeping their dtype."""
    dtype = obj.dtype
    if isinstance(dtype, np.dtype):
        return {"dtype": None, "array": enc(np.asarray(obj), depth)}
    if isinstance(dtype, pd.CategoricalDtype):
        return {"dtype": "category", "array": enc(pd.Categorical(obj), depth)}
    items = [enc(v, depth + 1) for v in np.asarray(obj, dtype=object).tolist()]
    return {"dtype": str(dtype), "items": items}


def _library_name(value: Any) -> str | None:
    """``module.qualname`` of a class or function of an allowed library, if it is one."""
    if not isinstance(value, type) and not callable(value):
        return None
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    if module.split(".")[0] not in LIBRARY_ROOTS or "<" in qualname:
        return None
    mod = sys.modules.get(module)
    found: Any = mod
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if found is not value:
        return None
    if not isinstance(value, type) and type(value).__name__ not in (
        "function", "builtin_function_or_method", "ufunc", "cython_function_or_method",
        "_ArrayFunctionDispatcher",
    ):  # fmt: skip
        return None
    return f"{module}:{qualname}"


def _may_cross_by_name(value: Any, name: str) -> bool:
    """What ``Decoder._d_class`` and ``_d_func`` accept; anything else crosses as a reference."""
    if isinstance(value, type):
        np = sys.modules.get("numpy")
        base = sys.modules.get("sklearn.base")
        return bool(
            (np is not None and (issubclass(value, np.generic) or value is np.dtype))
            or (
                base is not None
                and name.startswith("sklearn.")
                and issubclass(value, base.BaseEstimator)
            )
        )
    return name.split(":")[0].split(".")[0] in FUNCTION_ROOTS and not _touches_files(name)


def _touches_files(name: str) -> bool:
    parts = [p for p in re.split(r"[.:]", name.lower()) if p]
    tokens = [t for p in parts for t in p.split("_") if t]
    return any(t in FILE_TOKENS for t in tokens) or any(p.startswith(FILE_PREFIXES) for p in parts)


def _sklearn_reduce(value: Any) -> tuple[str, Any, Any] | None:
    """scikit-learn's compiled helpers (a decision tree's ``Tree``) by their own reduce."""
    module = type(value).__module__
    if not isinstance(module, str) or not module.startswith("sklearn."):
        return None
    name = _library_name(type(value))
    if name not in REDUCIBLE:
        return None
    try:
        reduced = value.__reduce__()
    except Exception:  # noqa: BLE001 - not reducible: it crosses as a reference
        return None
    if not isinstance(reduced, tuple) or len(reduced) < 3 or reduced[0] is not type(value):
        return None
    return name, reduced[1], reduced[2]


class Decoder:
    """Turns the channel's JSON back into values, with ``ref`` for references."""

    def __init__(self, ref: Callable[[dict[str, Any]], Any]) -> None:
        self.ref = ref
        self.items = 0

    def decode(self, data: Any, depth: int = 0) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS or depth > MAX_DEPTH:
            raise CodecError("the value is too large or too deeply nested")
        if data is None or type(data) in (bool, int, str):
            return data
        if type(data) is float:
            return data
        if type(data) is list:
            return [self.decode(v, depth + 1) for v in data]
        if type(data) is not dict or not isinstance(data.get("$"), str):
            raise CodecError("not a valid value")
        tag = data["$"]
        handler = getattr(self, f"_d_{tag}", None)
        if handler is None:
            raise CodecError(f"unknown value kind {tag!r}")
        return handler(data, depth + 1)

    def _items(self, data: dict[str, Any], depth: int, key: str = "items") -> list[Any]:
        items = data.get(key)
        if type(items) is not list:
            raise CodecError("not a valid value")
        return [self.decode(v, depth) for v in items]

    def _d_ellipsis(self, data: dict[str, Any], depth: int) -> Any:
        return Ellipsis

    def _d_bigint(self, data: dict[str, Any], depth: int) -> int:
        return int(_str(data["v"]))

    def _d_float(self, data: dict[str, Any], depth: int) -> float:
        return float(_str(data["v"]))

    def _d_complex(self, data: dict[str, Any], depth: int) -> complex:
        return complex(float(_str(data["re"])), float(_str(data["im"])))

    def _d_bytes(self, data: dict[str, Any], depth: int) -> bytes:
        return base64.b64decode(_str(data["b64"]), validate=True)

    def _d_dict(self, data: dict[str, Any], depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for pair in data.get("items") or []:
            if type(pair) is not list or len(pair) != 2:
                raise CodecError("not a valid dict")
            out[self.decode(pair[0], depth)] = self.decode(pair[1], depth)
        return out

    def _d_tuple(self, data: dict[str, Any], depth: int) -> tuple[Any, ...]:
        return tuple(self._items(data, depth))

    def _d_set(self, data: dict[str, Any], depth: int) -> set[Any]:
        return set(self._items(data, depth))

    def _d_frozenset(self, data: dict[str, Any], depth: int) -> frozenset[Any]:
        return frozenset(self._items(data, depth))

    def _d_range(self, data: dict[str, Any], depth: int) -> range:
        start, stop, step = (_int(v) for v in data["v"])
        return range(start, stop, step)

    def _d_slice(self, data: dict[str, Any], depth: int) -> slice:
        return slice(*self._items(data, depth, "v"))

    def _d_datetime(self, data: dict[str, Any], depth: int) -> dt.datetime:
        return dt.datetime.fromisoformat(_str(data["v"]))

    def _d_date(self, data: dict[str, Any], depth: int) -> dt.date:
        return dt.date.fromisoformat(_str(data["v"]))

    def _d_time(self, data: dict[str, Any], depth: int) -> dt.time:
        return dt.time.fromisoformat(_str(data["v"]))

    def _d_timedelta(self, data: dict[str, Any], depth: int) -> dt.timedelta:
        days, seconds, micros = (_int(v) for v in data["v"])
        return dt.timedelta(days=days, seconds=seconds, microseconds=micros)

    def _d_path(self, data: dict[str, Any], depth: int) -> pathlib.Path:
        return pathlib.Path(_str(data["v"]))

    def _d_decimal(self, data: dict[str, Any], depth: int) -> decimal.Decimal:
        return decimal.Decimal(_str(data["v"]))

    def _d_fraction(self, data: dict[str, Any], depth: int) -> fractions.Fraction:
        num, den = (int(_str(v)) for v in data["v"])
        return fractions.Fraction(num, den)

    def _d_class(self, data: dict[str, Any], depth: int) -> type:
        """Plain builtin types, numpy scalar types and scikit-learn estimator classes only."""
        name = _str(data["name"])
        found = resolve(name)
        if not isinstance(found, type):
            raise CodecError("not a class")
        if name.startswith("builtins."):
            return found
        np = importlib.import_module("numpy")
        if issubclass(found, np.generic) or found is np.dtype:
            return found
        if name.startswith("sklearn."):
            base = importlib.import_module("sklearn.base")
            if issubclass(found, base.BaseEstimator):
                return found
        raise CodecError(f"the class {name} cannot cross the channel")

    def _d_func(self, data: dict[str, Any], depth: int) -> Any:
        """numpy, SciPy and scikit-learn functions that compute; never ones that read or load."""
        name = _str(data["name"])
        module, _sep, qualname = name.partition(":")
        if module.split(".")[0] not in FUNCTION_ROOTS or _touches_files(name):
            raise CodecError(f"the function {name} cannot cross the channel")
        found = resolve(name)
        if isinstance(found, type) or not callable(found):
            raise CodecError("not a function")
        return found

    def _d_ref(self, data: dict[str, Any], depth: int) -> Any:
        return self.ref(data)

    # numpy, pandas, SciPy, scikit-learn: imported on first use, on the receiving side's terms.

    def _d_array(self, data: dict[str, Any], depth: int) -> Any:
        np = importlib.import_module("numpy")
        dtype = _dtype(np, data["dtype"])
        shape = tuple(_int(v) for v in data["shape"])
        raw = base64.b64decode(_str(data["b64"]), validate=True)
        count = 1
        for n in shape:
            count *= n
        if count * dtype.itemsize != len(raw):
            raise CodecError("array size does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()

    def _d_objarray(self, data: dict[str, Any], depth: int) -> Any:
        np = importlib.import_module("numpy")
        items = self._items(data, depth)
        shape = tuple(_int(v) for v in data["shape"])
        out = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            out[i] = item
        return out.reshape(shape)

    def _d_npscalar(self, data: dict[str, Any], depth: int) -> Any:
        np = importlib.import_module("numpy")
        dtype = _dtype(np, data["dtype"])
        raw = base64.b64decode(_str(data["b64"]), validate=True)
        if len(raw) != dtype.itemsize:
            raise CodecError("scalar size does not match its dtype")
        return np.frombuffer(raw, dtype=dtype)[0]

    def _d_dtype(self, data: dict[str, Any], depth: int) -> Any:
        return _dtype(importlib.import_module("numpy"), data["v"])

    def _values(self, data: Any, depth: int) -> Any:
        pd = importlib.import_module("pandas")
        if type(data) is not dict:
            raise CodecError("not valid column values")
        dtype = data.get("dtype")
        if dtype is None or dtype == "category":
            return self.decode(data.get("array"), depth)
        items = self._items(data, depth)
        return pd.array(items, dtype=pd.api.types.pandas_dtype(_str(dtype)))

    def _d_series(self, data: dict[str, Any], depth: int) -> Any:
        pd = importlib.import_module("pandas")
        return pd.Series(
            self._values(data["values"], depth),
            index=self.decode(data["index"], depth),
            name=self.decode(data["name"], depth),
            copy=False,
        )

    def _d_frame(self, data: dict[str, Any], depth: int) -> Any:
        pd = importlib.import_module("pandas")
        columns = self.decode(data["columns"], depth)
        index = self.decode(data["index"], depth)
        values = [self._values(v, depth) for v in data["data"]]
        if len(values) != len(columns):
            raise CodecError("a DataFrame's columns do not match its data")
        frame = pd.DataFrame(
            {i: pd.Series(v, index=index, copy=False) for i, v in enumerate(values)},
            index=index,
        )
        frame.columns = columns
        return frame

    def _d_rangeindex(self, data: dict[str, Any], depth: int) -> Any:
        pd = importlib.import_module("pandas")
        start, stop, step = (_int(v) for v in data["v"])
        return pd.RangeIndex(start, stop, step, name=self.decode(data["name"], depth))

    def _d_multiindex(self, data: dict[str, Any], depth: int) -> Any:
        pd = importlib.import_module("pandas")
        names = self._items(data, depth, "names")
        return pd.MultiIndex.from_tuples(self._items(data, depth, "tuples"), names=names)

    def _d_index(self, data: dict[str, Any], depth: int) -> Any:
        pd = importlib.import_module("pandas")
        return pd.Index(self._values(data["values"], depth), name=self.decode(data["name"], depth))

    def _d_categorical(self, data: dict[str, Any], depth: int) -> Any:
        pd = importlib.import_module("pandas")
        return pd.Categorical.from_codes(
            self.decode(data["codes"], depth),
            categories=self.decode(data["categories"], depth),
            ordered=bool(data.get("ordered")),
        )

    def _d_timestamp(self, data: dict[str, Any], depth: int) -> Any:
        return importlib.import_module("pandas").Timestamp(_str(data["v"]))

    def _d_pdtimedelta(self, data: dict[str, Any], depth: int) -> Any:
        return importlib.import_module("pandas").Timedelta(_int(data["v"]), unit="ns")

    def _d_nat(self, data: dict[str, Any], depth: int) -> Any:
        return importlib.import_module("pandas").NaT

    def _d_na(self, data: dict[str, Any], depth: int) -> Any:
        return importlib.import_module("pandas").NA

    def _d_sparse(self, data: dict[str, Any], depth: int) -> Any:
        sparse = importlib.import_module("scipy.sparse")
        kind = {"csr": sparse.csr_matrix, "csc": sparse.csc_matrix}.get(_str(data["format"]))
        if kind is None:
            raise CodecError("unknown sparse format")
        parts = (self.decode(data[k], depth) for k in ("data", "indices", "indptr"))
        return kind(tuple(parts), shape=tuple(_int(v) for v in data["shape"]))

    def _d_estimator(self, data: dict[str, Any], depth: int) -> Any:
        cls = _sklearn_class(_str(data["cls"]))
        base = importlib.import_module("sklearn.base")
        if not issubclass(cls, base.BaseEstimator):
            raise CodecError(f"{cls.__name__} is not a scikit-learn estimator")
        state = self.decode(data["state"], depth)
        if type(state) is not dict or not all(
            type(k) is str and k.isidentifier() and not k.startswith("__") for k in state
        ):
            raise CodecError("an estimator's state must map attribute names to values")
        obj = cls.__new__(cls)
        obj.__setstate__(state)
        return obj

    def _d_reduce(self, data: dict[str, Any], depth: int) -> Any:
        name = _str(data["cls"])
        if name not in REDUCIBLE:
            raise CodecError(f"{name} cannot be rebuilt")
        cls = _sklearn_class(name)
        args = self.decode(data["args"], depth)
        if type(args) is not tuple:
            raise CodecError("not valid constructor arguments")
        obj = cls(*args)
        obj.__setstate__(self.decode(data["state"], depth))
        return obj


def _str(value: Any) -> str:
    if type(value) is not str:
        raise CodecError("not a valid value")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise CodecError("not a valid value")
    return value


def _dtype(np: Any, text: Any) -> Any:
    if type(text) is dict:  # a structured dtype of plain fields, with its exact layout
        try:
            names = [_str(n) for n in text["names"]]
            formats = [_dtype(np, f) for f in text["formats"]]
            offsets = [_int(o) for o in text["offsets"]]
            return np.dtype(
                {
                    "names": names,
                    "formats": formats,
                    "offsets": offsets,
                    "itemsize": _int(text["itemsize"]),
                }  # fmt: skip
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CodecError("not a valid dtype") from exc
    try:
        dtype = np.dtype(_str(text))
    except TypeError as exc:
        raise CodecError(f"dtype {text!r} is not known") from exc
    if dtype.kind not in ARRAY_KINDS or dtype.fields:
        raise CodecError(f"dtype {text!r} cannot cross the channel")
    return dtype


def resolve(name: str) -> Any:
    """A class or function of an allowed library, or a plain builtin type, by its name."""
    module, sep, qualname = name.partition(":")
    if name.startswith("builtins."):
        found = getattr(builtins, name.removeprefix("builtins."), None)
        if not isinstance(found, type) or found.__name__ not in PLAIN_BUILTIN_TYPES:
            raise CodecError(f"{name} cannot cross the channel")
        return found
    if not sep or module.split(".")[0] not in LIBRARY_ROOTS:
        raise CodecError(f"{name} is not from an allowed library")
    parts = qualname.split(".")
    if not all(p.isidentifier() and not p.startswith("__") for p in parts):
        raise CodecError(f"{name} is not a valid name")
    try:
        found: Any = importlib.import_module(module)
    except ImportError as exc:
        raise CodecError(f"module {module} is not available") from exc
    for part in parts:
        found = getattr(found, part, None)
    if found is None or getattr(found, "__module__", "").split(".")[0] not in LIBRARY_ROOTS:
        raise CodecError(f"{name} cannot cross the channel")
    return found


def _sklearn_class(name: str) -> type:
    if not name.startswith("sklearn."):
        raise CodecError(f"{name} is not a scikit-learn class")
    cls = resolve(name)
    if not isinstance(cls, type):
        raise CodecError(f"{name} is not a class")
    return cls
