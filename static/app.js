// Meldcode's one script, served by the application itself (no other host). Every page works
// without it; it only adds what cannot be done in HTML alone. Each part below is independent,
// and does nothing on a page without the elements it looks for.
"use strict";
