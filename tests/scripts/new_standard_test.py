#!/usr/bin/python3
"""scripts/new-standard in a temporary copy of the parts of the tree it reads and edits: it writes
the three files, inserts the registration and the files in number order, the spec it writes
loads, and it refuses a malformed name or an existing number with one line and exit code 64.

Usage: tests/scripts/new_standard_test.py REPOSITORY PATH/TO/scs-load-standards
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

repo = pathlib.Path(sys.argv[1]).resolve()
loader = sys.argv[2]
problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def copy_tree_parts(root):
    (root / "standards").mkdir()
    for spec in repo.glob("standards/*.yaml"):
        shutil.copy(spec, root / "standards")
    for relative in ["checks", "tests/checks"]:
        (root / relative).mkdir(parents=True)
        for source in repo.glob(f"{relative}/*.cpp"):  # file names decide "exists already"
            (root / relative / source.name).touch()
    for relative in [".clang-format", "checks/all.cpp", "checks/checks.hpp", "checks/CMakeLists.txt",
                     "tests/CMakeLists.txt"]:
        shutil.copy(repo / relative, root / relative)


def scaffold(root, *args):
    return subprocess.run([str(repo / "scripts" / "new-standard"), "--root", str(root), *args],
                          capture_output=True, text=True)


def numbers_in(path, pattern):
    return [m.group(1) for line in path.read_text().splitlines() if (m := re.fullmatch(pattern, line))]


with tempfile.TemporaryDirectory(prefix="scs-new-standard-") as temp:
    root = pathlib.Path(temp)
    copy_tree_parts(root)

    # 0150 lies between existing standards, so "in number order" is tested, not "appended".
    done = scaffold(root, "scs-0150-sample-thing")
    expect(done.returncode == 0, f"scaffolding failed ({done.returncode}): {done.stderr}")
    spec = root / "standards/scs-0150-sample-thing.yaml"
    check = root / "checks/scs_0150_sample_thing.cpp"
    test = root / "tests/checks/scs_0150_sample_thing_test.cpp"
    for path in [spec, check, test]:
        expect(path.is_file(), f"{path.relative_to(root)} was not written")
    if check.is_file():
        text = check.read_text()
        expect("void register_scs_0150(Registry& registry)" in text, "no register_scs_0150 in the check file")
        expect('Result::abort("not implemented yet: scs-0150-sample-thing' in text,
               "the check does not ABORT 'not implemented yet'")
    if test.is_file():
        text = test.read_text()
        expect(text.count('FAIL("not written yet') == 2, "the pass and fail cases do not FAIL until written")
        expect("Status::abort" in text, "no abort case in the test file")

    for relative, pattern, new in [
        ("checks/all.cpp", r"  register_scs_(\d{4})\(registry\);", "0150"),
        ("checks/checks.hpp", r"void register_scs_(\d{4})\(Registry& registry\);.*", "0150"),
        ("checks/CMakeLists.txt", r"  scs_(\d{4})_\w+\.cpp", "0150"),
        ("tests/CMakeLists.txt", r"  checks/scs_(\d{4})_\w+_test\.cpp", "0150"),
    ]:
        numbers = numbers_in(root / relative, pattern)
        expect(numbers.count(new) == 1, f"{relative}: scs-{new} is not listed once: {numbers}")
        expect(numbers == sorted(numbers), f"{relative}: not in number order: {numbers}")
        expect(len(numbers) == len(numbers_in(repo / relative, pattern)) + 1, f"{relative}: not one line added")

    loaded = subprocess.run([loader, str(root / "standards")], capture_output=True, text=True)
    expect(loaded.returncode == 0, f"the scaffolded spec does not load: {loaded.stderr}")
    expect(f"scs-0150-sample-thing scs-0150-sample-thing {spec}:" in loaded.stdout,
           f"the loader does not list the scaffolded testcase:\n{loaded.stdout}")

    if shutil.which("clang-format"):
        formatted = subprocess.run(["clang-format", "--dry-run", "-Werror", str(check), str(test),
                                    str(root / "checks/checks.hpp"), str(root / "checks/all.cpp")],
                                   capture_output=True, text=True)
        expect(formatted.returncode == 0, f"the generated C++ is not clang-formatted:\n{formatted.stderr}")

    before = {path: path.read_text() for path in root.rglob("*") if path.is_file()}
    for args, cause in [(["scs-0150-other-words"], "scs-0150 exists already"),
                        (["scs-0101-entropy"], "scs-0101 exists already"),
                        (["scs-15-x"], "malformed name"), (["SCS-0151-x"], "malformed name"),
                        (["scs-0151-Upper"], "malformed name"), (["scs-0151"], "malformed name"),
                        (["scs-0151-a_b"], "malformed name"), ([], "required")]:
        refused = scaffold(root, *args)
        expect(refused.returncode == 64, f"{args}: exit code {refused.returncode}, not 64")
        expect(refused.stderr.count("\n") == 1 and refused.stderr.startswith("new-standard: error: ")
               and cause in refused.stderr, f"{args}: not a one-line error naming '{cause}': {refused.stderr!r}")
    after = {path: path.read_text() for path in root.rglob("*") if path.is_file()}
    expect(before == after, "a refused scaffolding changed the tree")

for problem in problems:
    print(f"FAIL: {problem}")
print(f"{'FAILED' if problems else 'ok'}: scripts/new-standard ({len(problems)} problems)")
sys.exit(1 if problems else 0)
