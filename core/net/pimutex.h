#pragma once
// A mutex that a call's real-time audio thread shares with a normal thread (issue 14: the
// links' thread asks the engine for stats, tears a media stream down, drains the beat). Held
// by a normal thread that the scheduler set aside for other processes' real-time threads, a
// plain mutex keeps the audio thread waiting until all of those sleep (priority inversion);
// with priority inheritance the holder runs at the waiter's priority until it lets go.
// Uncontended, it costs what std::mutex does (no system call).

#include <pthread.h>

namespace plenum::net {

class PiMutex {
public:
    explicit PiMutex(bool recursive = false)
    {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
        if (recursive) pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutex_init(&mutex_, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    ~PiMutex() { pthread_mutex_destroy(&mutex_); }
    PiMutex(const PiMutex&) = delete;
    PiMutex& operator=(const PiMutex&) = delete;

    // Lockable, for std::lock_guard and std::unique_lock.
    void lock() { pthread_mutex_lock(&mutex_); }
    bool try_lock() { return pthread_mutex_trylock(&mutex_) == 0; }
    void unlock() { pthread_mutex_unlock(&mutex_); }

private:
    pthread_mutex_t mutex_;
};

} // namespace plenum::net
