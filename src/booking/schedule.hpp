#pragma once
// Booking's periodic work, registered on the process's scheduler (leased: one process runs it).
#include "booking/service.hpp"
#include "jobs/scheduler.hpp"

namespace linli::booking {

inline constexpr std::chrono::seconds kBookingJobsEvery{60};

// No-show release, waitlist hold expiry, reminders, overdue loans, completion of ended bookings.
void RegisterJobs(jobs::Scheduler& scheduler, BookingService& service);

}  // namespace linli::booking
