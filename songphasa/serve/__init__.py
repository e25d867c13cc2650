"""The decision session, live: a local web server over the event project (``songphasa serve``)."""
