package dev.redlock.sample.stock;

import dev.redlock.sample.stock.StockService.Stock;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /stock/{item}/purchase[?locked=false]}, {@code PUT /stock/{item}}, {@code GET /stock/{item}}. */
@RestController
class StockController {

	private final StockService stock;

	StockController(StockService stock) {
		this.stock = stock;
	}

	@PostMapping("/stock/{item}/purchase")
	Stock purchase(@PathVariable String item, @RequestParam(defaultValue = "true") boolean locked) {
		return locked ? this.stock.purchase(item) : this.stock.purchaseUnlocked(item);
	}

	@PutMapping("/stock/{item}")
	Stock restock(@PathVariable String item, @RequestBody Restock body) {
		return this.stock.restock(item, body.quantity());
	}

	@GetMapping("/stock/{item}")
	Stock read(@PathVariable String item) {
		return this.stock.read(item);
	}

	record Restock(int quantity) {
	}

}
