"""Every limit the dashboard enforces, in one place (README: "Data checks and limits").

A public dashboard is fed by hand-edited files, strangers' uploads and links pasted
anywhere; each limit below bounds what one of them can cost the server.
"""

MB = 1024 * 1024

# --- files: a layer file in geodata/ or an upload -----------------------------------------
# .streamlit/config.toml's server.maxUploadSize says the same, in MB (tests/test_config.py)
MAX_FILE_BYTES = 20 * MB

# --- the upload reader: a separate process per upload (dashboard/upload_worker.py) ---------
UPLOAD_DEADLINE_S = 15  # wall clock, then the reader is killed
UPLOAD_CPU_S = 10  # CPU seconds (RLIMIT_CPU)
UPLOAD_MEMORY_BYTES = 1024 * MB  # address space (RLIMIT_AS); Python, GDAL and PROJ take ~0.45 GB of it
UPLOAD_DISK_BYTES = 256 * MB  # largest file the reader may write (RLIMIT_FSIZE): an unpacked zip
MAX_PARALLEL_UPLOADS = 2  # readers at once in one server; more visitors are asked to retry
MAX_RESULT_BYTES = 64 * MB  # the reader's answer, read back by the server

# --- what an upload may hold ---------------------------------------------------------------
MAX_FEATURES = 50_000
MAX_READ_VERTICES = 1_000_000  # refused above this, before any validity check or repair
MAX_VERTICES = 50_000  # simplified above this
MAX_ZIP_MEMBERS = 50
MAX_ZIP_EXPANDED_BYTES = 200 * MB
MAX_ATTRIBUTE_BYTES = 50 * MB  # a Shapefile's .dbf (records × record length)
MAX_SCHEMA_ENTRIES = 500  # tables, indexes and triggers in a GeoPackage
# only what the map shows of an upload is kept: its first properties, shortened (the tooltip);
# so its text is at most MAX_FEATURES × MAX_COLUMNS × MAX_TEXT_CHARS, and its map is checked below
MAX_COLUMNS = 3  # properties kept per feature
MAX_NAME_CHARS = 60  # of a property name
MAX_TEXT_CHARS = 100  # of one property value
MAX_NESTING = 8  # geometry collections inside collections

# --- an upload on the map, per session -----------------------------------------------------
MAX_UPLOAD_MAP_BYTES = 8 * MB  # the uploaded layer's share of the map sent to the browser
MAX_SESSION_LAYERS = 5
MAX_SESSION_UPLOAD_BYTES = 50 * MB  # the files one session has uploaded and kept

# --- links ---------------------------------------------------------------------------------
MAX_LINK_VALUE_CHARS = 200
MAX_LINK_NOTICES = 8  # a link with more bad parts gets these and one line counting the rest
