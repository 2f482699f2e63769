"""The server's log: one line per event, each naming its replica, so that a proxy's log (HAProxy
names the server of each request: `replicas/app1`) and the app's can be joined (deploy/README.md).

The replica's name comes from `SILKROAD_REPLICA` (scripts/cluster.py and compose.yaml set it),
else the host's name (a Kubernetes pod's name). A record's traceback is folded into its line.
"""

from __future__ import annotations

import logging
import os
import re
import socket

REPLICA_VARIABLE = "SILKROAD_REPLICA"
NEWLINE = " ⏎ "  # where a message or traceback had a line break


def replica_name() -> str:
    """This replica's name: letters, digits, dots, dashes and underscores only."""
    name = os.environ.get(REPLICA_VARIABLE) or socket.gethostname() or "app"
    return re.sub(r"[^\w.-]", "_", name)[:63]


def line_format(replica: str) -> str:
    """The logging format of one event's line."""
    return f"%(asctime)s {replica} %(levelname)s %(name)s: %(message)s"


def one_line_records() -> None:
    """Every log record from now on is one line: its message and traceback joined, line breaks shown."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "one_line", False):
        return

    def one_line(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        if record.stack_info:
            text += "\n" + record.stack_info
        record.msg, record.args, record.exc_info, record.exc_text, record.stack_info = (
            text.rstrip("\n").replace("\r", "").replace("\n", NEWLINE), (), None, None, None)
        return record

    one_line.one_line = True
    logging.setLogRecordFactory(one_line)


def configure() -> str:
    """Log this process's events (the launcher's and Streamlit's) one line each, with the
    replica's name; returns the name."""
    replica = replica_name()
    # `streamlit run` reads the variable; the launcher's warm-up runs before it, on the option
    os.environ.setdefault("STREAMLIT_LOGGER_MESSAGE_FORMAT", line_format(replica))
    from streamlit import config
    from streamlit import logger as streamlit_logger

    config.set_option("logger.messageFormat", os.environ["STREAMLIT_LOGGER_MESSAGE_FORMAT"])
    streamlit_logger.update_formatter()
    one_line_records()
    handler = logging.StreamHandler()
    handler.setFormatter(formatter := logging.Formatter(line_format(replica)))
    formatter.default_msec_format = "%s.%03d"  # as Streamlit's own lines
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    return replica
