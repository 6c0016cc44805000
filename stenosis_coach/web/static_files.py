"""How static files are stored for serving: each under a name with its contents' hash, with
gzip and Brotli copies beside it (WhiteNoise), so that a browser keeps it for good and a
new version is a new address."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedCompressedStaticFiles(CompressedManifestStaticFilesStorage):
    # The player's modules import each other ("./clock.js"): those imports are rewritten to
    # the hashed names too, or a new player.js could run with last month's clock.js.
    support_js_module_import_aggregation = True
