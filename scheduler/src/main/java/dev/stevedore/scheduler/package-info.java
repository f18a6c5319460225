package dev.stevedore.scheduler;
