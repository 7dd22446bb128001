package com.shop

import com.amplitude.android.Amplitude

class Recommendations(private val amplitude: Amplitude) {
    fun shown(id: String) {
        amplitude.track(
            "Product Viewed",
            mapOf("product_id" to id, "price" to 3),
        )
    }
}
