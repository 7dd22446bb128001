package com.shop

import com.google.firebase.analytics.FirebaseAnalytics
import com.segment.analytics.kotlin.core.Analytics
import com.shop.tracking.ProductViewedProperties
import com.shop.tracking.Tracker

class ProductScreen(
    private val tracker: Tracker,
    private val firebase: FirebaseAnalytics,
    private val segment: Analytics,
) {
    fun show(id: String) {
        tracker.productViewed(ProductViewedProperties(productId = id))
        firebase.logEvent("order_completed") {
            param("order_id", id)
            param("currency", "EUR")
        }
        segment.track("Checkout Begun", buildJsonObject { put("step", 1) })
    }
}
