"""Runs every test_* function of tests/e2e/test_*.py and ends with the line
"N passed, N failed", followed by ", N skipped" when a test raised
harness.Skip (it could not run here: that is never a pass).
Usage: run.py [substring-filter]."""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from harness import Skip  # noqa: E402


def closing_line(passed, failed, skipped):
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    return line


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    passed = failed = skipped = 0
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for fname in sorted(dir(module)):
            fn = getattr(module, fname)
            if not fname.startswith("test_") or not callable(fn):
                continue
            label = "%s::%s" % (name[:-3], fname)
            if only and only not in label:
                continue
            start = time.time()
            try:
                fn()
            except Skip as why:
                skipped += 1
                print("skip %s (%s)" % (label, why), flush=True)
            except Exception:
                failed += 1
                print("FAIL %s (%.1fs)\n%s" % (label, time.time() - start,
                                              traceback.format_exc()), flush=True)
            else:
                passed += 1
                print("ok   %s (%.1fs)" % (label, time.time() - start), flush=True)
    print(closing_line(passed, failed, skipped))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
