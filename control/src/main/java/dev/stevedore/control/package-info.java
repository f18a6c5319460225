package dev.stevedore.control;
