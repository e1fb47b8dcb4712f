import QtQuick
import QtWebEngine

// The page of the co-browse pane (loaded only when the build has Qt WebEngine). It shows
// `target`, reports loads and failures, tells when a click in the page went somewhere else,
// and reports and applies scroll positions as fractions of the page, so screens of any size
// land on the same place. Only http and https are opened (docs/cobrowse.md: the URL policy is
// checked in the core too); local files are never reachable from a page.
WebEngineView {
    id: view
    objectName: "coBrowseWeb"

    property string target
    // The target has finished loading (a page that failed counts too: nothing more comes).
    property bool targetLoaded: false
    // The leader's newest scroll while the target still loads: applied once it has loaded.
    // Run earlier, it would land on the previous page (or on nothing).
    property var pendingScroll: null

    signal loaded(string url, string title)
    signal failed(string url, string reason)
    signal navigatedHere(string url)
    signal scrolledTo(real x, real y)

    function scrollToFraction(x, y) {
        if (!targetLoaded || loading)
            pendingScroll = {x: x, y: y};
        else
            applyScroll(x, y);
    }
    function applyScroll(x, y) {
        runJavaScript("window.scrollTo(%1 * (document.documentElement.scrollWidth - innerWidth), "
                      .arg(x) + "%1 * (document.documentElement.scrollHeight - innerHeight))".arg(y));
    }

    settings.localContentCanAccessFileUrls: false
    settings.localContentCanAccessRemoteUrls: false
    settings.pluginsEnabled: false

    onTargetChanged: {
        pendingScroll = null;
        // Already there (a link clicked here that the leader then shared): nothing reloads.
        targetLoaded = url.toString() === target && !loading;
        if (target !== "" && url.toString() !== target)
            url = target;
    }
    onNavigationRequested: request => {
        const scheme = request.url.toString().split(":")[0].toLowerCase();
        if (scheme !== "http" && scheme !== "https")
            request.reject();
    }
    onLoadingChanged: request => {
        if (request.status === WebEngineView.LoadSucceededStatus) {
            targetLoaded = true;
            loaded(request.url.toString(), title);
            if (pendingScroll)
                applyScroll(pendingScroll.x, pendingScroll.y);
            pendingScroll = null;
            if (request.url.toString() !== target)
                navigatedHere(request.url.toString());
        } else if (request.status === WebEngineView.LoadFailedStatus) {
            targetLoaded = true;
            pendingScroll = null;
            failed(request.url.toString(), request.errorString);
        }
    }
    onScrollPositionChanged: {
        const w = contentsSize.width - width, h = contentsSize.height - height;
        scrolledTo(w > 0 ? scrollPosition.x / w : 0, h > 0 ? scrollPosition.y / h : 0);
    }
}
