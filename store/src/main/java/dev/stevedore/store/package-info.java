package dev.stevedore.store;
