package dev.redlock.sample.booking;

import dev.redlock.sample.booking.BookingService.Booking;
import dev.redlock.sample.booking.BookingService.SlotState;
import dev.redlock.sample.web.BadRequestException;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** 201 for the one user who books a slot, 409 for everyone else. */
@RestController
class BookingController {

	private final BookingService bookings;

	BookingController(BookingService bookings) {
		this.bookings = bookings;
	}

	@PostMapping("/rooms/{room}/slots/{slot}/book")
	@ResponseStatus(HttpStatus.CREATED)
	Booking book(@PathVariable String room, @PathVariable String slot, @RequestBody(required = false) BookingRequest body,
			@RequestParam(defaultValue = "true") boolean locked) {
		if (body == null || !StringUtils.hasText(body.user())) {
			throw new BadRequestException("Wrong input: 'user' is required");
		}
		return locked ? this.bookings.book(room, slot, body.user()) : this.bookings.bookUnlocked(room, slot, body.user());
	}

	@GetMapping("/rooms/{room}/slots/{slot}")
	SlotState state(@PathVariable String room, @PathVariable String slot) {
		return this.bookings.state(room, slot);
	}

	@DeleteMapping("/rooms/{room}/slots/{slot}")
	void free(@PathVariable String room, @PathVariable String slot) {
		this.bookings.free(room, slot);
	}

	record BookingRequest(String user) {
	}

}
