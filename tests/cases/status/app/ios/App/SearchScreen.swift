import FirebaseAnalytics
import Segment

final class SearchScreen {
    private let tracker: Tracker
    private let analytics: Analytics

    init(tracker: Tracker, analytics: Analytics) {
        self.tracker = tracker
        self.analytics = analytics
    }

    func searched(_ query: String) {
        tracker.searchPerformed(SearchPerformedProperties(query: query))
        tracker.orderCompleted(OrderCompletedProperties(orderId: "o-1", currency: "EUR"))
        Analytics.logEvent("product_viewed", parameters: ["product_id": "p-1"])
        analytics.track(name: "Cart Viewed")
        let name = "Screen " + query
        analytics.track(name: name)
    }
}
