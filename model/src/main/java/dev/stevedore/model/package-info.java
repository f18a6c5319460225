package dev.stevedore.model;
