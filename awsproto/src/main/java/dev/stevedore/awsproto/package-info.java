package dev.stevedore.awsproto;
