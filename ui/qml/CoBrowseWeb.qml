import QtQuick
import QtWebEngine

// The page of the co-browse pane (loaded only when the build has Qt WebEngine). It shows
// `target`, reports loads and failures, tells when a click in the page went somewhere else,
// and reports and applies scroll positions as fractions of the page, so screens of any size
// land on the same place. Only http and https are opened (docs/cobrowse.md: the URL policy is
// checked in the core too); local files are never reachable from a page.
WebEngineView {
    id: view

    property string target

    signal loaded(string url, string title)
    signal failed(string url, string reason)
    signal navigatedHere(string url)
    signal scrolledTo(real x, real y)

    function scrollToFraction(x, y) {
        runJavaScript("window.scrollTo(%1 * (document.documentElement.scrollWidth - innerWidth), "
                      .arg(x) + "%1 * (document.documentElement.scrollHeight - innerHeight))".arg(y));
    }

    settings.localContentCanAccessFileUrls: false
    settings.localContentCanAccessRemoteUrls: false
    settings.pluginsEnabled: false

    onTargetChanged: {
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
            loaded(request.url.toString(), title);
            if (request.url.toString() !== target)
                navigatedHere(request.url.toString());
        } else if (request.status === WebEngineView.LoadFailedStatus) {
            failed(request.url.toString(), request.errorString);
        }
    }
    onScrollPositionChanged: {
        const w = contentsSize.width - width, h = contentsSize.height - height;
        scrolledTo(w > 0 ? scrollPosition.x / w : 0, h > 0 ? scrollPosition.y / h : 0);
    }
}
