"""The framework file: a framework version as YAML, read, checked and written.

Both directions meet in one *canonical* form (plain dicts and lists, every field present,
text trimmed), so that exporting a version, importing the file and exporting again gives the
same file:

- ``read_framework_file(text, source=...)`` parses and checks a file, returning canonical data
  or raising FrameworkFileError with every problem found, each naming the file, the key path
  (``principles[2].levels[1]``) and what is wrong;
- ``framework_data(version)`` reads a version from the database into canonical data;
- ``dump_framework_file(data)`` writes canonical data as YAML.

The shape follows ``frameworks/data/thrive-edi-2022-23.yaml``.
"""

from frameworks.files.reading import (
    FrameworkFileError,
    check_framework_data,
    clean_text,
    read_framework_file,
)
from frameworks.files.writing import dump_framework_file, file_shape, framework_data

__all__ = [
    "FrameworkFileError",
    "check_framework_data",
    "clean_text",
    "dump_framework_file",
    "file_shape",
    "framework_data",
    "read_framework_file",
]
